package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Converts value bytes to and from their JSON forms, for every {@link ValueFormat}. Integer arrays are
 * little-endian, as the value bytes of a BPF map are on x86_64 and arm64; an element is a JSON integer
 * in the format's range (not 1.5, not 1e-5, not "12"), except that the 64-bit formats write theirs as
 * decimal strings and take either ({@link ValueFormat#decimalStrings()}). A field that is JSON null is
 * not given; an empty array is a value of no bytes, of the wrong size for any map. Bad input is EINVAL
 * with the reason, never a partial value.
 */
public final class ValueCodec {

    private static final HexFormat HEX = HexFormat.of();
    /** A 64-bit element as a string: decimal digits, a sign for i64, no blanks, no leading '+'. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,20}");

    private ValueCodec() {
    }

    /**
     * The bytes, to be written in {@code format}.
     *
     * @throws BpfException EINVAL when the byte count is not a whole number of the format's integers
     */
    public static EncodedValue encode(byte[] bytes, ValueFormat format, String operation) {
        if (format == ValueFormat.TYPED) {
            throw new IllegalArgumentException("typed values are encoded by their map's TypedValues");
        }
        if (bytes.length % format.width() != 0) {
            throw new BpfException(Errno.EINVAL, operation, bytes.length + " bytes are not a whole number of "
                    + format.field() + " (" + format.width() + " bytes each); use hex or base64");
        }
        return new EncodedValue(format, bytes);
    }

    /**
     * The bytes of the one value field a request body carries.
     *
     * @param fields the body's value fields by name, as {@code @JsonAnySetter} collected them
     * @throws BpfException EINVAL when a field is not a format, none or several are given, or the one given
     *                      does not parse or fit
     */
    public static byte[] decode(Map<String, JsonNode> fields, String operation) {
        return decode(field(fields, operation), operation);
    }

    /**
     * The JSON of the body's {@code typed} field, when that is the one value field it carries; empty when
     * it carries another (then {@link #decode} gives its bytes).
     *
     * @throws BpfException EINVAL when a field is not a format, or none or several are given
     */
    public static java.util.Optional<JsonNode> typedField(Map<String, JsonNode> fields, String operation) {
        Map.Entry<String, JsonNode> field = field(fields, operation);
        return field.getKey().equals(ValueFormat.TYPED.field()) ? java.util.Optional.of(field.getValue())
                : java.util.Optional.empty();
    }

    private static Map.Entry<String, JsonNode> field(Map<String, JsonNode> fields, String operation) {
        // null is "not set" (a generated client may send it for the fields it leaves unset)
        Map<String, JsonNode> given = fields == null ? Map.of() : fields.entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().isNull())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        for (String name : given.keySet()) {
            if (ValueFormat.byField(name).isEmpty()) {
                throw new BpfException(Errno.EINVAL, operation, "unknown field '" + name + "'; a value is one of "
                        + ValueFormat.names());
            }
        }
        if (given.size() != 1) {
            throw new BpfException(Errno.EINVAL, operation, "give exactly one of " + ValueFormat.names() + "; got "
                    + (given.isEmpty() ? "none" : given.keySet().stream().sorted().toList()));
        }
        return given.entrySet().iterator().next();
    }

    private static byte[] decode(Map.Entry<String, JsonNode> field, String operation) {
        ValueFormat format = ValueFormat.byField(field.getKey()).orElseThrow();
        JsonNode node = field.getValue();
        if (format == ValueFormat.TYPED) {
            // the callers that take typed values ask typedField first; any other has no map type to parse with
            throw new BpfException(Errno.EINVAL, operation, "typed values are not taken here; give hex or an integer format");
        }
        if (format.kind() == ValueFormat.Kind.STRING) {
            if (node == null || !node.isString()) {
                throw new BpfException(Errno.EINVAL, operation, format.field() + " must be a string");
            }
            return parseString(format, node.stringValue().strip(), operation);
        }
        return packIntegers(format, node, operation);
    }

    /** Writes an {@link EncodedValue} as its format's JSON: a string, an array of integers, or typed JSON. */
    public static final class Writer extends ValueSerializer<EncodedValue> {
        @Override
        public void serialize(EncodedValue value, JsonGenerator json, SerializationContext context) {
            write(value, json);
        }
    }

    /** Writes an {@link EncodedValue} as its format's JSON to a generator of one's own (a streamed answer). */
    public static void write(EncodedValue value, JsonGenerator json) {
        ValueFormat format = value.format();
        byte[] bytes = value.bytes();
        switch (format.kind()) {
            case STRING -> json.writeString(formatString(format, bytes));
            case TYPED -> value.typed().write(json, bytes);
            case SIGNED, UNSIGNED -> {
                json.writeStartArray(value, bytes.length / format.width());
                for (int at = 0; at < bytes.length; at += format.width()) {
                    long v = littleEndian(bytes, at, format.width());
                    if (format.decimalStrings()) {
                        json.writeString(format.kind() == ValueFormat.Kind.SIGNED ? Long.toString(v)
                                : Long.toUnsignedString(v));
                    } else if (format.kind() == ValueFormat.Kind.SIGNED) {
                        int unused = 64 - 8 * format.width();
                        json.writeNumber(v << unused >> unused);
                    } else {
                        json.writeNumber(v);
                    }
                }
                json.writeEndArray();
            }
        }
    }

    private static String formatString(ValueFormat format, byte[] bytes) {
        return switch (format) {
            case HEX -> HEX.formatHex(bytes);
            case BASE64 -> Base64.getEncoder().encodeToString(bytes);
            default -> throw new IllegalStateException(format + " is not a string format");
        };
    }

    private static byte[] parseString(ValueFormat format, String text, String operation) {
        try {
            return switch (format) {
                case HEX -> HEX.parseHex(text);
                case BASE64 -> Base64.getDecoder().decode(text);
                default -> throw new IllegalStateException(format + " is not a string format");
            };
        } catch (IllegalArgumentException e) {
            throw new BpfException(Errno.EINVAL, operation, format.field() + " does not decode: " + e.getMessage());
        }
    }

    private static byte[] packIntegers(ValueFormat format, JsonNode items, String operation) {
        if (items == null || !items.isArray()) {
            throw new BpfException(Errno.EINVAL, operation, format.field() + " must be an array of integers");
        }
        byte[] out = new byte[items.size() * format.width()];
        int at = 0;
        for (JsonNode item : items) {
            BigInteger b;
            if (item.isIntegralNumber()) {
                b = item.bigIntegerValue();
            } else if (format.decimalStrings() && item.isString() && DECIMAL.matcher(item.stringValue()).matches()) {
                b = new BigInteger(item.stringValue());
            } else {
                throw new BpfException(Errno.EINVAL, operation, format.field() + " element " + item + " is not "
                        + (format.decimalStrings() ? "an integer or a string of decimal digits" : "an integer"));
            }
            if (b.compareTo(format.min()) < 0 || b.compareTo(format.max()) > 0) {
                throw new BpfException(Errno.EINVAL, operation, format.field() + " element " + b + " is not in ["
                        + format.min() + ", " + format.max() + "]");
            }
            long v = b.longValue();
            for (int i = 0; i < format.width(); i++) {
                out[at++] = (byte) (v >>> (8 * i));
            }
        }
        return out;
    }

    private static long littleEndian(byte[] bytes, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v;
    }
}
