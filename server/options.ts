/**
 * Options for the server as a library: every environment variable of the README's table, as an
 * option named in camelCase (`ROOM_CAPACITY` is `roomCapacity`, `TURN_URLS` is `turnUrls`) and
 * typed as its parsed value. One schema for both: options are turned into the variables and
 * validated by `loadConfig`, so defaults and limits are the same, and a refusal names the option.
 */
import { type Config, ConfigError, CONFIG_VARIABLES, type Env, loadConfig } from './config.js';

/** `ROOM_CAPACITY` -> `roomCapacity`: the option name of an environment variable. */
export type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}${Capitalize<Camel<Tail>>}` : Lowercase<S>;

/**
 * Every server setting, each optional with the default of its environment variable (README,
 * Configuration): `roomCapacity` is ROOM_CAPACITY, `turnSecret` TURN_SECRET, and so on.
 */
export type ServerOptions = { [K in Exclude<keyof Env & string, 'TURN_SECRET'> as Camel<K>]?: Env[K] } & {
  /** TURN_SECRET: one secret, or several during a rotation (a list, or comma-separated): the first mints, all verify. */
  turnSecret?: string | string[] | undefined;
};

const camel = (v: string) => v.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const OPTION_OF = new Map(CONFIG_VARIABLES.map((v) => [camel(v), v]));

/** The environment the options stand for (values as strings, lists comma-separated). */
export function optionsToEnv(options: ServerOptions, what = 'option'): Record<string, string> {
  if (typeof options !== 'object' || options === null) throw new ConfigError([{ variable: what, message: 'options must be an object' }]);
  const env: Record<string, string> = {};
  const issues: Array<{ variable: string; message: string }> = [];
  for (const [key, value] of Object.entries(options)) {
    const variable = OPTION_OF.get(key);
    if (!variable) {
      issues.push({ variable: key, message: `is not an ${what} (see the README's configuration table: ${key} would be an environment variable in camelCase)` });
      continue;
    }
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.some((x) => typeof x !== 'string' || x.includes(','))) issues.push({ variable: key, message: 'must be a list of strings without commas' });
      else env[variable] = value.join(',');
    } else if (['string', 'number', 'boolean'].includes(typeof value)) env[variable] = String(value);
    else issues.push({ variable: key, message: `must be a ${typeof value === 'object' ? 'string, number, boolean or list' : 'value'}, not ${typeof value}` });
  }
  if (issues.length) throw new ConfigError(issues);
  return env;
}

/** The validated Config for `options`; a ConfigError names each option that is wrong. */
export function configFromOptions(options: ServerOptions = {}, what = 'option'): Config {
  const env = optionsToEnv(options, what);
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.issues.map((i) => ({ ...i, variable: camel(i.variable) })));
  }
}
