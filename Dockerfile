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
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/src/schema ./dist/schema
COPY package.json ./
USER node
ENTRYPOINT ["node", "bin/recs.js"]
CMD ["serve"]
