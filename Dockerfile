# Flack as one small, non-root image: `docker build -t flack .`, then run it alone (in memory) or
# several behind a load balancer with REDIS_URL set (see compose.yaml and the README).

# 1. Build the contract, the backend and the Angular app with every dev dependency.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY contract/package.json contract/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

# 2. Only what the server needs at run time: the backend's production dependencies.
FROM node:20.20-alpine AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY contract/package.json contract/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts --workspace @flack/backend \
  && rm -rf node_modules/@flack

# 3. The image: Node, those dependencies, and the built files; no sources, no compilers.
FROM node:20.20-alpine
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=runtime-deps /app/node_modules node_modules
# The contract is a workspace package: copied in place of npm's symlink.
COPY --from=build /app/contract/package.json node_modules/@flack/contract/package.json
COPY --from=build /app/contract/dist node_modules/@flack/contract/dist
COPY --from=build /app/backend/package.json backend/package.json
COPY --from=build /app/backend/dist backend/dist
COPY --from=build /app/frontend/dist/browser frontend/dist/browser
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "backend/dist/main.js"]
