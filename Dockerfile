# The App as a container: `docker build -t integration-review .` then
# `docker run -e APP_ID=… -e PRIVATE_KEY=… -e WEBHOOK_SECRET=… -e HOST=0.0.0.0 -p 3000:3000 integration-review`
# (add REDIS_URL for the durable queue; `--entrypoint node … dist/src/app/worker-main.js` for a worker).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY action/build-options.ts action/build-cli.ts ./action/
# npm ci runs `prepare`, which builds dist/ with the dev dependencies.
RUN npm ci --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json app.yml ./
# Runtime dependencies only, and no install script of any package runs.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
EXPOSE 3000
CMD ["node", "dist/src/app/main.js"]
