// What the typescript-fetch client generated from the live document does against the service
// (GeneratedTypeScriptClientIT): node dist/scenarios.js <lifecycle|import|secured> <baseUrl> [args].
// Any failure throws, and the process exits 1 with the reason.
import {
  BackendKind, Configuration, Errno, MapFlag, MapsApi, MapType, Problem, ProblemFromJSON, ResponseError,
  SessionAccess, SessionsApi, ValueFormat, ValueTypeKind,
} from "./generated";

const U64_MAX = "18446744073709551615";
const TWO_TO_THE_63 = "9223372036854775808";

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function config(baseUrl: string, token?: string): Configuration {
  return new Configuration({ basePath: baseUrl, accessToken: token });
}

/** The problem the call was refused with, read through the generated model. */
async function problem(call: () => Promise<unknown>): Promise<Problem> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof ResponseError)) throw e;
    const type = e.response.headers.get("content-type") ?? "";
    check(type.startsWith("application/problem+json"), `content type ${type}`);
    const p = ProblemFromJSON(await e.response.json());
    check(p.status === e.response.status, `status ${p.status} in the body, ${e.response.status} on the wire`);
    return p;
  }
  throw new Error("the call succeeded; a problem was expected");
}

function expect(p: Problem, status: number, errno: Errno): void {
  check(p.status === status && p.errno === errno, `expected ${status} ${errno}, got ${JSON.stringify(p)}`);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function lifecycle(baseUrl: string): Promise<void> {
  const maps = new MapsApi(config(baseUrl));
  const sessions = new SessionsApi(config(baseUrl));

  const map = await maps.createMap({ createMapRequest: {
    name: "generated_ts", type: MapType.Array, keySize: 4, valueSize: 16, maxEntries: 8, flags: [MapFlag.Mmapable] } });
  const id = map.id!;
  check(map.mmapable === true && map.backend === BackendKind.Emulated, `created ${JSON.stringify(map)}`);
  check((await maps.listMaps()).some((m) => m.id === id), "listed");
  equal((await maps.getMap({ id })).maxEntries, 8, "shown");

  await maps.updateValue({ id, index: 0, valueWriteRequest: { hex: "00112233445566778899aabbccddeeff" } });
  const asHex = await maps.lookupValue({ id, index: 0, format: ValueFormat.Hex });
  equal(asHex.hex, "00112233445566778899aabbccddeeff", "hex");
  check(asHex.u64 === undefined && asHex.base64 === undefined, `only the field asked for: ${JSON.stringify(asHex)}`);
  await maps.updateValue({ id, index: 1, valueWriteRequest: { base64: "AAECAwQFBgcICQoLDA0ODw==" } });
  equal((await maps.lookupValue({ id, index: 1, format: ValueFormat.Base64 })).base64, "AAECAwQFBgcICQoLDA0ODw==", "base64");
  const u8 = [255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 254];
  await maps.updateValue({ id, index: 2, valueWriteRequest: { u8 } });
  equal((await maps.lookupValue({ id, index: 2, format: ValueFormat.U8 })).u8, u8, "u8");
  const u16 = [65535, 0, 1, 2, 3, 4, 5, 65534];
  await maps.updateValue({ id, index: 3, valueWriteRequest: { u16 } });
  equal((await maps.lookupValue({ id, index: 3, format: ValueFormat.U16 })).u16, u16, "u16");
  const u32 = [4294967295, 2147483648, 0, 7];
  await maps.updateValue({ id, index: 4, valueWriteRequest: { u32 } });
  equal((await maps.lookupValue({ id, index: 4, format: ValueFormat.U32 })).u32, u32, "u32");
  await maps.updateValue({ id, index: 5, valueWriteRequest: { u64: [U64_MAX, TWO_TO_THE_63] } });
  equal((await maps.lookupValue({ id, index: 5, format: ValueFormat.U64 })).u64, [U64_MAX, TWO_TO_THE_63], "u64");
  equal((await maps.lookupValue({ id, index: 5, format: ValueFormat.I64 })).i64, ["-1", "-9223372036854775808"], "i64");
  await maps.updateValue({ id, index: 6, valueWriteRequest: { i64: ["-9223372036854775808", "9223372036854775807"] } });
  equal((await maps.lookupValue({ id, index: 6, format: ValueFormat.U64 })).u64, [TWO_TO_THE_63, "9223372036854775807"],
    "u64 of i64");

  expect(await problem(() => maps.updateValue({ id, index: 5, valueWriteRequest: { u64: [] } })), 400, Errno.Einval);
  equal((await maps.lookupValue({ id, index: 5, format: ValueFormat.U64 })).u64, [U64_MAX, TWO_TO_THE_63], "unchanged");
  const invalid = await problem(() => maps.createMap({ createMapRequest: { type: MapType.Array } as never }));
  expect(invalid, 400, Errno.Einval);
  check((invalid.errors ?? []).length > 0, `the refused fields: ${JSON.stringify(invalid)}`);

  const typed = await maps.createMap({ createMapRequest: { name: "typed_ts", type: MapType.Array, maxEntries: 2,
    valueType: { kind: ValueTypeKind.Struct, name: "flow", fields: [
      { name: "packets", type: { kind: ValueTypeKind.U64 } },
      { name: "lock", type: { kind: ValueTypeKind.BpfSpinLock } },
      { name: "comm", type: { kind: ValueTypeKind.Char, length: 4 } }] } } });
  check(typed.valueSize === 16 && typed.valueHasSpinLock === true, `typed ${JSON.stringify(typed)}`);
  await maps.deleteMap({ id: typed.id! });

  const range = await maps.lookupRange({ id, from: 4, count: 3, format: ValueFormat.U64 });
  check(range.from === 4 && range.count === 3 && range.format === ValueFormat.U64, `range ${JSON.stringify(range)}`);
  equal(range.values![1].u64, [U64_MAX, TWO_TO_THE_63], "range value");
  equal(range.values![1].index, 5, "range index");

  const area = new Uint8Array(await (await maps.readDataArea({ id })).arrayBuffer());
  equal(area.length, map.dataSize, "data area size");
  equal(hex(area.subarray(0, 16)), "00112233445566778899aabbccddeeff", "data area");

  const session = await sessions.openSession({ id, openSessionRequest: { access: SessionAccess.ReadWrite } });
  const sid = session.id!;
  check((await sessions.listSessions({ mapId: id })).some((s) => s.id === sid), "session listed");
  await sessions.writeMemory({ sid, offset: 16 * 7, memoryWriteRequest: { u64: [U64_MAX] } });
  equal((await sessions.readMemory({ sid, offset: 16 * 7, length: 8, format: ValueFormat.U64 })).u64, [U64_MAX],
    "session u64");
  await sessions.writeMemoryBytes({ sid, offset: 16 * 7 + 8, body: new Blob([new Uint8Array([1, 2, 3])]) });
  const raw = await sessions.readMemoryBytes({ sid, offset: 16 * 7 + 8, length: 3 });
  equal(hex(new Uint8Array(await raw.arrayBuffer())), "010203", "raw");
  equal((await maps.lookupValue({ id, index: 7, format: ValueFormat.Hex })).hex, "ffffffffffffffff0102030000000000", "shared");
  const renewed = await sessions.renewSession({ sid, renewSessionRequest: { ttlSeconds: 120 } });
  check(renewed.expiresAt!.getTime() >= session.expiresAt!.getTime(), "renewed");
  const busy = await problem(() => maps.freezeMap({ id }));
  expect(busy, 409, Errno.Ebusy);
  equal(busy.operation, "BPF_MAP_FREEZE", "operation");
  expect(await problem(() => sessions.readMemoryBytes({ sid, offset: 2 ** 40 })), 400, Errno.Einval);
  await sessions.closeSession({ sid });
  expect(await problem(() => sessions.getSession({ sid })), 404, Errno.Enoent);

  check((await maps.freezeMap({ id })).frozen === true, "frozen");
  expect(await problem(() => maps.updateValue({ id, index: 0, valueWriteRequest: { hex: "00".repeat(16) } })),
    403, Errno.Eperm);
  equal((await maps.lookupValue({ id, index: 0, format: ValueFormat.Hex })).hex, "00112233445566778899aabbccddeeff",
    "after EPERM");

  await maps.deleteMap({ id });
  const gone = await problem(() => maps.getMap({ id }));
  expect(gone, 404, Errno.Enoent);
  equal(gone.type, "urn:bpfmapd:problem:map-not-found", "type");
}

async function pinAndImport(baseUrl: string, agentPin: string): Promise<void> {
  const maps = new MapsApi(config(baseUrl));
  const own = await maps.createMap({ createMapRequest: {
    type: MapType.Array, keySize: 4, valueSize: 8, maxEntries: 4, backend: BackendKind.Emulated } });
  const pinned = await maps.pinMap({ id: own.id!, pinMapRequest: { path: "generated-ts-pin" } });
  check((pinned.pinnedPath ?? "").endsWith("generated-ts-pin"), `pinned ${JSON.stringify(pinned)}`);
  expect(await problem(() => maps.pinMap({ id: own.id!, pinMapRequest: { path: "again" } })), 409, Errno.Eexist);
  const imported = await maps.importMap({ importMapRequest: { path: agentPin, backend: BackendKind.Emulated, name: "agent" } });
  equal((await maps.lookupValue({ id: imported.id!, index: 1, format: ValueFormat.U64 })).u64, ["42"], "imported value");
  expect(await problem(() => maps.importMap({ importMapRequest: { path: agentPin, backend: BackendKind.Emulated } })),
    409, Errno.Eexist);
  await maps.deleteMap({ id: imported.id! });
  await maps.deleteMap({ id: own.id! });
}

async function secured(baseUrl: string, reader: string, writer: string, otherWriter: string, admin: string) {
  const anonymous = await problem(() => new MapsApi(config(baseUrl)).listMaps());
  expect(anonymous, 401, Errno.Enokey);
  equal(anonymous.type, "urn:bpfmapd:problem:unauthenticated", "type");

  const spec = { type: MapType.Array, keySize: 4, valueSize: 8, maxEntries: 512, flags: [MapFlag.Mmapable] };
  const role = await problem(() => new MapsApi(config(baseUrl, reader)).createMap({ createMapRequest: spec }));
  expect(role, 403, Errno.Eacces);
  equal(role.type, "urn:bpfmapd:problem:forbidden", "type");

  const id = (await new MapsApi(config(baseUrl, admin)).createMap({ createMapRequest: spec })).id!;
  const mine = new SessionsApi(config(baseUrl, writer));
  const sid = (await mine.openSession({ id, openSessionRequest: { access: SessionAccess.ReadWrite } })).id!;
  const other = new SessionsApi(config(baseUrl, otherWriter));
  const owner = await problem(() => other.writeMemory({ sid, offset: 0, memoryWriteRequest: { hex: "01" } }));
  expect(owner, 403, Errno.Eacces);
  equal(owner.type, "urn:bpfmapd:problem:not-session-owner", "type");

  const limit = await problem(() => mine.openSession({ id, openSessionRequest: { access: SessionAccess.ReadOnly } }));
  expect(limit, 429, Errno.Emfile);
  equal(limit.type, "urn:bpfmapd:problem:limit-exceeded", "type");
  equal(limit.limit, "bpfmapd.limits.max-sessions-per-principal", "limit");
  equal(limit.max, 1, "max");

  await mine.closeSession({ sid });
  await new MapsApi(config(baseUrl, admin)).deleteMap({ id });
}

async function main(args: string[]): Promise<void> {
  const [scenario, baseUrl, ...rest] = args;
  switch (scenario) {
    case "lifecycle": return lifecycle(baseUrl);
    case "import": return pinAndImport(baseUrl, rest[0]);
    case "secured": return secured(baseUrl, rest[0], rest[1], rest[2], rest[3]);
    default: throw new Error(`no scenario ${scenario}`);
  }
}

main(process.argv.slice(2)).then(() => console.log(`${process.argv[2]}: passed`), (e) => {
  console.error(e);
  process.exit(1);
});
