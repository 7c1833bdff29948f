import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { openService } from './service';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = await openService(config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await service.listen(config.host, config.port);
  logger.info({ url: config.publicBaseUrl }, 'Latchkey is ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Latchkey failed to start:', error);
  }
  process.exit(1);
});
