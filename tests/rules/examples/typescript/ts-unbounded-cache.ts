// ruleid: ts-unbounded-cache
const quotes = new Map<string, Quote>();

export async function quote(productId: string, customerId: string) {
  const key = `${productId}:${customerId}`;
  if (!quotes.has(key)) quotes.set(key, await pricing.get(key));
  return quotes.get(key);
}

// Keyed by an enum: one client per environment.
// ok: ts-unbounded-cache
const clients: Partial<Record<Environment, ApiClient>> = {};

export function clientFor(environment: Environment) {
  if (!clients[environment]) clients[environment] = new ApiClient(environment);
  return clients[environment];
}

// A string-keyed record grows with its keys.
// ruleid: ts-unbounded-cache
const byUser: Record<string, Session> = {};

export function remember(userId: string, session: Session) {
  byUser[userId] = session;
}

// Filled from a fixed dataset in one pass.
// ok: ts-unbounded-cache
export let nameToEmoji: Record<string, string> = {};

export function populate(data: EmojiData) {
  for (const emoji of Object.values(data.emojis)) {
    nameToEmoji[emoji.id] = emoji.native;
  }
}

// ruleid: ts-unbounded-cache
const importedEmails = new Set<string>();

router.post("/import", async (req: Request, res: Response) => {
  // A loop in a handler runs over what each request sends.
  for (const record of parse(req.body)) {
    importedEmails.add(record.email);
  }
  res.json({ ok: true });
});

// Keyed by an enum type: as many entries as it has members.
// ok: ts-unbounded-cache
const seenIntervals = new Set<Interval>();

export function received(interval: Interval) {
  seenIntervals.add(interval);
}

// ruleid: ts-unbounded-cache
const seenTokens = new Set<string>();

export function receivedToken(token: string) {
  seenTokens.add(token);
}

// Filled only by a test hook.
// ok: ts-unbounded-cache
const preloaded = new Map<string, unknown>();

export function __setPreloaded(key: string, value: unknown) {
  preloaded.set(key, value);
}

// A memo of Intl formatters, keyed by locale and time zone: a fixed set.
// ok: ts-unbounded-cache
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatterFor(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone });
    formatters.set(key, f);
  }
  return f;
}

// The same memo of something keyed by what the caller sends.
// ruleid: ts-unbounded-cache
const greetings = new Map<string, string>();

export function greetingFor(name: string) {
  let g = greetings.get(name);
  if (!g) {
    g = `Hello, ${name}`;
    greetings.set(name, g);
  }
  return g;
}

// A registry the module fills at load with the functions it defines.
// ok: ts-unbounded-cache
const functions = new Map<string, FormulaFunction>();

export function register(name: string, fn: FormulaFunction) {
  if (functions.has(name)) throw new Error(`duplicate ${name}`);
  functions.set(name, fn);
}

// One parse's state, started afresh before each parse.
// ok: ts-unbounded-cache
let footnotes = new Map<string, string>();

export function resetFootnotes() {
  footnotes = new Map();
}

export function addFootnote(id: string, text: string) {
  footnotes.set(id, text);
}

// An in-flight lookup: each entry is removed when its promise settles.
// ok: ts-unbounded-cache
const inFlight = new Map<string, Promise<number>>();

export async function dedupe(key: string): Promise<number> {
  const pending = load(key).finally(() => {
    inFlight.delete(key);
  });
  inFlight.set(key, pending);
  return pending;
}
