package io.bpfmapd.clients.java;

import io.bpfmapd.client.api.MapsApi;
import io.bpfmapd.client.api.SessionsApi;
import io.bpfmapd.client.model.BackendKind;
import io.bpfmapd.client.model.CreateMapRequest;
import io.bpfmapd.client.model.Errno;
import io.bpfmapd.client.model.ImportMapRequest;
import io.bpfmapd.client.model.MapFlag;
import io.bpfmapd.client.model.MapResource;
import io.bpfmapd.client.model.MapType;
import io.bpfmapd.client.model.MemoryWriteRequest;
import io.bpfmapd.client.model.OpenSessionRequest;
import io.bpfmapd.client.model.PinMapRequest;
import io.bpfmapd.client.model.Problem;
import io.bpfmapd.client.model.RenewSessionRequest;
import io.bpfmapd.client.model.SessionAccess;
import io.bpfmapd.client.model.SessionResource;
import io.bpfmapd.client.model.ValueFormat;
import io.bpfmapd.client.model.ValueRangeResponse;
import io.bpfmapd.client.model.ValueResponse;
import io.bpfmapd.client.model.ValueType;
import io.bpfmapd.client.model.ValueTypeField;
import io.bpfmapd.client.model.ValueTypeKind;
import io.bpfmapd.client.model.ValueWriteRequest;
import io.bpfmapd.clients.ClientScenarios;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The scenarios of {@link ClientScenarios}, written once against the generated API and models, which the
 * {@code native} and {@code restclient} libraries generate alike; {@code Calls} is what differs between them
 * (setting up the client, the exception a refusal comes as, and the type bytes come in: a {@code File}, or
 * with {@code useAbstractionForFiles} a Spring {@code Resource}).
 */
public final class Scenarios implements ClientScenarios {

    static final String U64_MAX = "18446744073709551615";
    static final String TWO_TO_THE_63 = "9223372036854775808";

    /** One call that is expected to be refused. */
    interface Call {
        void run() throws Exception;
    }

    @Override
    public void mapLifecycle(String baseUrl) throws Exception {
        MapsApi maps = Calls.maps(baseUrl, null);
        SessionsApi sessions = Calls.sessions(baseUrl, null);

        MapResource map = maps.createMap(new CreateMapRequest().name("generated_java").type(MapType.ARRAY)
                .keySize(4).valueSize(16).maxEntries(8).addFlagsItem(MapFlag.MMAPABLE));
        String id = map.getId();
        check(map.getMmapable() && map.getBackend() == BackendKind.EMULATED, "created " + map);
        check(maps.listMaps().stream().anyMatch(m -> m.getId().equals(id)), "listed");
        check(maps.getMap(id).getMaxEntries() == 8, "shown");

        // every format, written and read back; u64 past 2^63 and negative i64 over their whole range
        maps.updateValue(id, 0, new ValueWriteRequest().hex("00112233445566778899aabbccddeeff"));
        ValueResponse hex = maps.lookupValue(id, 0, ValueFormat.HEX);
        equal(hex.getHex(), "00112233445566778899aabbccddeeff", "hex");
        check(hex.getU64() == null && hex.getBase64() == null, "only the field asked for is present: " + hex);
        maps.updateValue(id, 1, new ValueWriteRequest().base64("AAECAwQFBgcICQoLDA0ODw=="));
        equal(maps.lookupValue(id, 1, ValueFormat.BASE64).getBase64(), "AAECAwQFBgcICQoLDA0ODw==", "base64");
        List<Integer> u8 = List.of(255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 254);
        maps.updateValue(id, 2, new ValueWriteRequest().u8(u8));
        equal(maps.lookupValue(id, 2, ValueFormat.U8).getU8(), u8, "u8");
        List<Integer> u16 = List.of(65535, 0, 1, 2, 3, 4, 5, 65534);
        maps.updateValue(id, 3, new ValueWriteRequest().u16(u16));
        equal(maps.lookupValue(id, 3, ValueFormat.U16).getU16(), u16, "u16");
        List<Long> u32 = List.of(4294967295L, 2147483648L, 0L, 7L);
        maps.updateValue(id, 4, new ValueWriteRequest().u32(u32));
        equal(maps.lookupValue(id, 4, ValueFormat.U32).getU32(), u32, "u32");
        maps.updateValue(id, 5, new ValueWriteRequest().u64(List.of(U64_MAX, TWO_TO_THE_63)));
        equal(maps.lookupValue(id, 5, ValueFormat.U64).getU64(), List.of(U64_MAX, TWO_TO_THE_63), "u64");
        equal(maps.lookupValue(id, 5, ValueFormat.I64).getI64(), List.of("-1", "-9223372036854775808"), "i64 of u64");
        maps.updateValue(id, 6, new ValueWriteRequest().i64(List.of("-9223372036854775808", "9223372036854775807")));
        equal(maps.lookupValue(id, 6, ValueFormat.U64).getU64(), List.of(TWO_TO_THE_63, "9223372036854775807"),
                "u64 of i64");

        // a value of the wrong size, an empty one included, is EINVAL and changes nothing
        Problem empty = Calls.problem(() -> maps.updateValue(id, 5, new ValueWriteRequest().u64(List.of())));
        expect(empty, 400, Errno.EINVAL);
        equal(maps.lookupValue(id, 5, ValueFormat.U64).getU64(), List.of(U64_MAX, TWO_TO_THE_63), "unchanged");
        Problem invalid = Calls.problem(() -> maps.createMap(new CreateMapRequest().type(MapType.ARRAY)));
        expect(invalid, 400, Errno.EINVAL);
        check(invalid.getErrors() != null && !invalid.getErrors().isEmpty(), "the refused fields: " + invalid);

        // a typed map: its value type is one recursive schema, its size the type's
        MapResource typed = maps.createMap(new CreateMapRequest().name("typed_java").type(MapType.ARRAY).maxEntries(2)
                .valueType(new ValueType().kind(ValueTypeKind.STRUCT).name("flow")
                        .addFieldsItem(new ValueTypeField().name("packets").type(new ValueType().kind(ValueTypeKind.U64)))
                        .addFieldsItem(new ValueTypeField().name("lock").type(new ValueType().kind(ValueTypeKind.BPF_SPIN_LOCK)))
                        .addFieldsItem(new ValueTypeField().name("comm").type(new ValueType().kind(ValueTypeKind.CHAR).length(4)))));
        check(typed.getValueSize() == 16 && typed.getValueHasSpinLock(), "typed " + typed);
        maps.deleteMap(typed.getId());

        // ranges
        ValueRangeResponse range = maps.lookupRange(id, 4, 3, ValueFormat.U64);
        check(range.getFrom() == 4 && range.getCount() == 3 && range.getFormat() == ValueFormat.U64, "range " + range);
        equal(range.getValues().get(1).getU64(), List.of(U64_MAX, TWO_TO_THE_63), "range value");
        check(range.getValues().get(1).getIndex() == 5, "range index");

        // the whole data area, as bytes
        byte[] area = Calls.bytes(maps.readDataArea(id));
        check(area.length == map.getDataSize(), "data area of " + area.length + " bytes, map says " + map.getDataSize());
        equal(HexFormat.of().formatHex(area, 0, 16), "00112233445566778899aabbccddeeff", "data area");

        // sessions: open, JSON and raw writes and reads, renew, freeze refused while open, close
        SessionResource session = sessions.openSession(id, new OpenSessionRequest().access(SessionAccess.READ_WRITE));
        String sid = session.getId();
        check(sessions.listSessions(id).stream().anyMatch(s -> s.getId().equals(sid)), "session listed");
        sessions.writeMemory(sid, new MemoryWriteRequest().u64(List.of(U64_MAX)), 16L * 7);
        equal(sessions.readMemory(sid, 16L * 7, 8L, ValueFormat.U64).getU64(), List.of(U64_MAX), "session u64");
        Calls.writeBytes(sessions, sid, 16L * 7 + 8, new byte[] {1, 2, 3});
        equal(HexFormat.of().formatHex(Calls.bytes(sessions.readMemoryBytes(sid, 16L * 7 + 8, 3L))), "010203", "raw");
        equal(maps.lookupValue(id, 7, ValueFormat.HEX).getHex(), "ffffffffffffffff0102030000000000", "shared");
        SessionResource renewed = sessions.renewSession(sid, new RenewSessionRequest().ttlSeconds(120L));
        check(!renewed.getExpiresAt().isBefore(session.getExpiresAt()), "renewed " + renewed);
        Problem busy = Calls.problem(() -> maps.freezeMap(id));
        expect(busy, 409, Errno.EBUSY);
        equal(busy.getOperation(), "BPF_MAP_FREEZE", "operation");
        Problem window = Calls.problem(() -> sessions.readMemoryBytes(sid, 1L << 40, null));
        expect(window, 400, Errno.EINVAL);
        sessions.closeSession(sid);
        expect(Calls.problem(() -> sessions.getSession(sid)), 404, Errno.ENOENT);

        // frozen: updates refused with EPERM, lookups still work
        check(maps.freezeMap(id).getFrozen(), "frozen");
        expect(Calls.problem(() -> maps.updateValue(id, 0, new ValueWriteRequest().hex("00".repeat(16)))),
                403, Errno.EPERM);
        equal(maps.lookupValue(id, 0, ValueFormat.HEX).getHex(), "00112233445566778899aabbccddeeff", "after EPERM");

        maps.deleteMap(id);
        Problem gone = Calls.problem(() -> maps.getMap(id));
        expect(gone, 404, Errno.ENOENT);
        equal(gone.getType().toString(), "urn:bpfmapd:problem:map-not-found", "type");
    }

    @Override
    public void pinAndImport(String baseUrl, String agentPin) throws Exception {
        MapsApi maps = Calls.maps(baseUrl, null);
        MapResource own = maps.createMap(new CreateMapRequest().type(MapType.ARRAY).keySize(4).valueSize(8)
                .maxEntries(4).backend(BackendKind.EMULATED));
        MapResource pinned = maps.pinMap(own.getId(), new PinMapRequest().path("generated-java-pin"));
        check(pinned.getPinnedPath() != null && pinned.getPinnedPath().endsWith("generated-java-pin"), "pinned " + pinned);
        expect(Calls.problem(() -> maps.pinMap(own.getId(), new PinMapRequest().path("again"))), 409, Errno.EEXIST);

        MapResource imported = maps.importMap(new ImportMapRequest().path(agentPin).backend(BackendKind.EMULATED)
                .name("agent"));
        equal(maps.lookupValue(imported.getId(), 1, ValueFormat.U64).getU64(), List.of("42"), "imported value");
        expect(Calls.problem(() -> maps.importMap(new ImportMapRequest().path(agentPin)
                .backend(BackendKind.EMULATED))), 409, Errno.EEXIST);
        maps.deleteMap(imported.getId());
        maps.deleteMap(own.getId());
    }

    @Override
    public void secured(String baseUrl, Tokens tokens) throws Exception {
        Problem anonymous = Calls.problem(() -> Calls.maps(baseUrl, null).listMaps());
        expect(anonymous, 401, Errno.ENOKEY);
        equal(anonymous.getType().toString(), "urn:bpfmapd:problem:unauthenticated", "type");

        CreateMapRequest spec = new CreateMapRequest().type(MapType.ARRAY).keySize(4).valueSize(8).maxEntries(512)
                .addFlagsItem(MapFlag.MMAPABLE);
        Problem role = Calls.problem(() -> Calls.maps(baseUrl, tokens.reader()).createMap(spec));
        expect(role, 403, Errno.EACCES);
        equal(role.getType().toString(), "urn:bpfmapd:problem:forbidden", "type");

        String id = Calls.maps(baseUrl, tokens.admin()).createMap(spec).getId();
        SessionsApi writer = Calls.sessions(baseUrl, tokens.writer());
        String sid = writer.openSession(id, new OpenSessionRequest().access(SessionAccess.READ_WRITE)).getId();
        SessionsApi other = Calls.sessions(baseUrl, tokens.otherWriter());
        Problem owner = Calls.problem(() -> other.writeMemory(sid, new MemoryWriteRequest().hex("01"), 0L));
        expect(owner, 403, Errno.EACCES);
        equal(owner.getType().toString(), "urn:bpfmapd:problem:not-session-owner", "type");
        Problem ownerRaw = Calls.problem(() -> Calls.writeBytes(other, sid, 0L, new byte[] {1}));
        equal(ownerRaw.getType().toString(), "urn:bpfmapd:problem:not-session-owner", "raw type");

        Problem limit = Calls.problem(() -> writer.openSession(id, new OpenSessionRequest()
                .access(SessionAccess.READ_ONLY)));
        expect(limit, 429, Errno.EMFILE);
        equal(limit.getType().toString(), "urn:bpfmapd:problem:limit-exceeded", "type");
        equal(limit.getLimit(), "bpfmapd.limits.max-sessions-per-principal", "limit");
        equal(limit.getMax(), 1L, "max");

        writer.closeSession(sid);
        Calls.maps(baseUrl, tokens.admin()).deleteMap(id);
    }

    static void expect(Problem problem, int status, Errno errno) {
        check(problem.getStatus() == status && problem.getErrno() == errno,
                "expected " + status + " " + errno + ", got " + problem);
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

}
