import { Logger } from '@nestjs/common';

// Unit tests build services without the app's pino logger; their log lines are noise here.
// End-to-end tests run the real app with LOG_LEVEL=silent.
Logger.overrideLogger(false);
