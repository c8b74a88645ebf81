package io.bpfmapd.testing;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code formatted} part of {@code bpftool -j map dump} (bpftool 7.1, tools/bpf/bpftool/btf_dumper.c),
 * the reference for the typed JSON of a value, turned into the typed contract's number printing
 * (docs/api.md, value formats) and nothing else. Each difference it smooths over is one case below,
 * with who is right:
 *
 * <ul>
 *   <li>Integers that can pass 2^53 (8-byte integers, enums and pointers, bitfields wider than 53 bits):
 *       bpftool prints JSON numbers ({@code %llu}, {@code %lld}); the contract prints decimal strings,
 *       since a JSON number past 2^53 loses digits in JavaScript. Printing only.</li>
 *   <li>Bitfields: bpftool prints the field's bits as a hex string ({@code "0x1f"},
 *       btf_dumper_bitfield through btf_int128_print), unsigned even for a signed field, as the kernel's
 *       btf_bitfield_show does; the contract prints the number C reads: unsigned bits for an unsigned
 *       field, sign-extended for a signed one ({@code int f:3} holding 0x5 is -3). bpftool is not wrong
 *       about the bits, but a signed field that reads back other than it was written is: ours.</li>
 *   <li>Anonymous struct or union members: bpftool prints them under the name {@code ""}, so a struct
 *       with two has one key twice (btf_dumper_struct names every member); the contract inlines their
 *       members, as C names them ({@code v.anon_x}). Read here with the duplicates kept, then inlined.</li>
 *   <li>Enums narrower than 4 bytes whose value has the top bit set: btf_dumper_enum sign-extends the
 *       value ({@code *(__s8 *)data}) and compares it with the enumerator's {@code __s32}, so a 1-byte
 *       enum holding 200 prints -56 although an enumerator is 200. bpftool is wrong (still so upstream):
 *       the number is re-read as the enum's own bits and matched again. An enumerator compared as the
 *       low bits of the enum's size is what the kernel's own btf_enum_show does for its size.</li>
 *   <li>Enum values with no name: bpftool prints them sign-extended whatever the BTF says; the BTF's
 *       kind_flag says whether the enum is signed (uapi btf.h, since Linux 6.0; clang before 15 sets it
 *       for no enum), and the contract prints the same bits as the BTF says. Printing only.</li>
 *   <li>Pointers: bpftool prints {@code %lu}, a 64-bit number: as any 64-bit integer.</li>
 * </ul>
 *
 * Everything else (struct members by name and in order, arrays, char arrays as strings when bpftool
 * finds a NUL with printable characters before it and as numbers otherwise, bool, DATASEC as
 * {@code {"<section>": [{"<var>": value}, ...]}}) is compared as bpftool prints it.
 */
public final class BpftoolFormatted {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A JSON number past 2^53 loses digits in JavaScript: the contract prints wider integers as strings. */
    private static final int EXACT_NUMBER_BITS = 53;

    private BpftoolFormatted() {
    }

    /**
     * The formatted value of every element of the map pinned at {@code pin}, in key order, each in the
     * contract's printing for {@code valueTypeId} of {@code btf}; for a per-CPU map, each element is an
     * array with one value per possible CPU (bpftool's {@code values[].value}, in CPU order).
     */
    public static List<JsonNode> dump(Path pin, Btf btf, int valueTypeId) {
        return dump(btf, valueTypeId, "pinned", pin.toString());
    }

    /** As {@link #dump(Path, Btf, int)}, for the map bpftool finds by {@code selector} ({@code id 42}). */
    public static List<JsonNode> dump(Btf btf, int valueTypeId, String... selector) {
        List<String> args = new ArrayList<>(List.of("-j", "map", "dump"));
        args.addAll(List.of(selector));
        JsonNode entries = parse(Bpftool.run(args.toArray(String[]::new)));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode formatted = entry.get("formatted");
            if (formatted == null) {
                throw new AssertionError("bpftool printed no formatted value (no BTF?): " + entry);
            }
            if (formatted.has("values")) {
                ArrayNode cpus = NODES.arrayNode();
                for (JsonNode cpu : formatted.get("values")) {
                    cpus.add(contract(btf, valueTypeId, cpu.get("value")));
                }
                out.add(cpus);
            } else {
                out.add(contract(btf, valueTypeId, formatted.get("value")));
            }
        }
        return out;
    }

    /** {@code bpftool}'s JSON as a tree, every object member named {@code ""} with an object value inlined. */
    static JsonNode parse(String json) {
        try (JsonParser p = MAPPER.createParser(json)) {
            p.nextToken();
            return read(p);
        }
    }

    private static JsonNode read(JsonParser p) {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    JsonNode v = read(p);
                    if (name.isEmpty() && v.isObject()) {
                        o.setAll((ObjectNode) v);
                    } else if (o.has(name)) {
                        throw new AssertionError("bpftool printed the member " + name + " twice");
                    } else {
                        o.set(name, v);
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.stringNode(p.getString());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getBigIntegerValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new AssertionError("bpftool printed " + t + " (a float? bpftool prints none)");
        }
    }

    /** bpftool's printing of a value of {@code typeId} in the contract's printing. */
    public static JsonNode contract(Btf btf, int typeId, JsonNode bpftool) {
        BtfType t = btf.resolve(typeId);
        return switch (t) {
            case BtfType.Int i -> i.bits() == 64 ? decimal(bpftool) : bpftool;
            case BtfType.Ptr ignored -> decimal(bpftool);
            case BtfType.Enumeration e -> enumeration(e, bpftool);
            case BtfType.Array a -> {
                if (!bpftool.isArray()) {
                    yield bpftool; // a char array bpftool printed as a string
                }
                ArrayNode out = NODES.arrayNode();
                for (JsonNode element : bpftool) {
                    out.add(contract(btf, a.type(), element));
                }
                yield out;
            }
            case BtfType.Composite c -> {
                ObjectNode out = NODES.objectNode();
                members(btf, c, (ObjectNode) bpftool, out);
                yield out;
            }
            case BtfType.Datasec d -> {
                ArrayNode vars = NODES.arrayNode();
                JsonNode printed = bpftool.get(d.name());
                for (int v = 0; v < d.vars().size(); v++) {
                    BtfType.Var var = (BtfType.Var) btf.type(d.vars().get(v).type());
                    JsonNode one = printed.get(v);
                    vars.add(NODES.objectNode().set(var.name(), contract(btf, var.type(), one.get(var.name()))));
                }
                yield NODES.objectNode().set(d.name(), vars);
            }
            default -> throw new AssertionError("bpftool prints no value of " + t);
        };
    }

    private static void members(Btf btf, BtfType.Composite c, ObjectNode bpftool, ObjectNode out) {
        for (BtfType.Member m : c.members()) {
            if (m.name().isEmpty() && btf.resolve(m.type()) instanceof BtfType.Composite inner) {
                members(btf, inner, bpftool, out); // printed under "" by bpftool, inlined by parse()
                continue;
            }
            JsonNode printed = bpftool.get(m.name());
            if (printed == null) {
                throw new AssertionError("bpftool printed no member " + m.name() + " in " + bpftool);
            }
            out.set(m.name(), isBitfield(btf, m) ? bitfield(btf, m, printed) : contract(btf, m.type(), printed));
        }
    }

    /** A member bpftool prints through btf_dumper_bitfield: a kind_flag bitfield size, or an INT not whole bytes. */
    private static boolean isBitfield(Btf btf, BtfType.Member m) {
        if (m.bitfieldSize() != 0) {
            return true;
        }
        return btf.resolve(m.type()) instanceof BtfType.Int i
                && (m.bitOffset() % 8 != 0 || i.bitOffset() != 0 || i.bits() % 8 != 0);
    }

    private static JsonNode bitfield(Btf btf, BtfType.Member m, JsonNode printed) {
        String hex = printed.stringValue();
        if (!hex.startsWith("0x")) {
            throw new AssertionError("bpftool printed the bitfield " + m.name() + " as " + printed);
        }
        BigInteger bits = new BigInteger(hex.substring(2), 16);
        int width = m.bitfieldSize() != 0 ? m.bitfieldSize() : ((BtfType.Int) btf.resolve(m.type())).bits();
        boolean signed = btf.resolve(m.type()) instanceof BtfType.Int i && i.encoding() == BtfType.IntEncoding.SIGNED;
        if (signed && bits.testBit(width - 1)) {
            bits = bits.subtract(BigInteger.ONE.shiftLeft(width));
        }
        return width > EXACT_NUMBER_BITS ? NODES.stringNode(bits.toString()) : NODES.numberNode(bits);
    }

    private static JsonNode enumeration(BtfType.Enumeration e, JsonNode printed) {
        if (printed.isString()) {
            return printed;
        }
        long size = e.size();
        BigInteger mask = BigInteger.ONE.shiftLeft((int) (8 * size)).subtract(BigInteger.ONE);
        BigInteger bits = printed.bigIntegerValue().and(mask);
        for (BtfType.EnumValue v : e.values()) {
            if (BigInteger.valueOf(v.value()).and(mask).equals(bits)) {
                return NODES.stringNode(v.name());
            }
        }
        BigInteger value = e.signed() && bits.testBit((int) (8 * size - 1)) ? bits.subtract(mask).subtract(BigInteger.ONE) : bits;
        return size == 8 ? NODES.stringNode(value.toString()) : NODES.numberNode(value);
    }

    /** {@code node} with every integer as one node type, so that equal numbers compare equal whatever their size. */
    public static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return NODES.missingNode();
        }
        if (node.isIntegralNumber()) {
            return NODES.numberNode(node.bigIntegerValue());
        }
        if (node.isArray()) {
            ArrayNode a = NODES.arrayNode();
            node.forEach(e -> a.add(canonical(e)));
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = NODES.objectNode();
            node.properties().forEach(e -> o.set(e.getKey(), canonical(e.getValue())));
            return o;
        }
        return node;
    }

    private static JsonNode decimal(JsonNode number) {
        if (!number.isIntegralNumber()) {
            throw new AssertionError("bpftool printed a 64-bit integer as " + number);
        }
        return NODES.stringNode(number.bigIntegerValue().toString());
    }
}
