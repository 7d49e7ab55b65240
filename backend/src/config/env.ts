import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';

const splitList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** Every setting Flack reads from the environment, with its default. The README lists them. */
export class Env {
  /** 0 picks a free port (tests). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface to bind; unset binds every interface. */
  @IsOptional()
  @IsString()
  HOST?: string;

  /** Extra origins (besides the server's own) whose pages may open a socket, comma-separated. */
  @Transform(splitList)
  @IsString({ each: true })
  ALLOWED_ORIGINS: string[] = [];

  /** How long a name stays reserved for its session after the last tab disconnects. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NAME_RESERVATION_SECONDS = 7 * 24 * 60 * 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Folder with the built Angular app; defaults to frontend/dist/browser in this repository. */
  @IsOptional()
  @IsString()
  STATIC_DIR?: string;
}

/** `ConfigModule.forRoot({ validate })`: fails start-up with every problem listed. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new Error(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return env;
}
