# One image for every process: the gateway (`recs serve`), workers (`recs worker`), migrations.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production RECS_USE_DIST=1 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/src/schema ./dist/schema
COPY package.json LICENSE ./
# The object-store volume is mounted here; a new named volume takes this directory's owner, so the
# non-root user can write datasets and batch outputs (a root-owned volume refused them).
RUN mkdir -p /data/object-store && chown node:node /data/object-store
USER node
ENTRYPOINT ["node", "bin/recs.js"]
CMD ["serve"]
