/** The full-width form of ASCII (`ＧＥＮＥＲＡＬ`), which NFKC folds back to `GENERAL`. */
export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
}
