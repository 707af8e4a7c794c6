// pino-roll ships no types; this is the part of its API Coachwire uses.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  interface RollingFileStream extends EventEmitter {
    write(chunk: string): boolean;
    end(): void;
  }

  interface PinoRollOptions {
    file: string;
    size?: string;
    limit?: { count: number };
    mkdir?: boolean;
    sync?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingFileStream>;
}
