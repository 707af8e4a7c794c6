/** What `coachwire-api` accepts on its command line; each flag overrides the configuration. */
export interface ApiFlags {
  readonly configPath?: string;
  readonly port?: number;
  readonly host?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: node dist/main.js [--config PATH] [--port N] [--host ADDRESS]

  --config PATH    YAML configuration file (also COACHWIRE_CONFIG)
  --port N         Port to listen on (overrides api.port / API_PORT)
  --host ADDRESS   Address to listen on (overrides api.host / API_HOST)
  --help           Show this text`;

/** Parses the flags, or throws an Error whose message says which flag is wrong. */
export function parseApiFlags(argv: readonly string[]): ApiFlags {
  let configPath: string | undefined;
  let port: number | undefined;
  let host: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new Error(`${name} needs a value.`);
      return next;
    };
    switch (name) {
      case '--config':
        configPath = value();
        break;
      case '--port': {
        const text = value();
        const parsed = Number(text);
        if (!/^\d+$/.test(text) || parsed < 1 || parsed > 65535) {
          throw new Error(`--port must be an integer from 1 to 65535, got '${text}'.`);
        }
        port = parsed;
        break;
      }
      case '--host':
        host = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`Unknown argument '${arg}'.`);
    }
  }
  return {
    help,
    ...(configPath !== undefined ? { configPath } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
  };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
