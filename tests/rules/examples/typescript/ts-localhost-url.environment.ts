// prodready-path: apps/server/src/integrations/environment/environment.service.ts
export class EnvironmentService {
  getRedisUrl(): string {
    // The configuration module's default; its validation requires REDIS_URL in production.
    // ok: ts-localhost-url
    return this.configService.get<string>("REDIS_URL", "redis://localhost:6379");
  }
}
