package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Converts value bytes to and from their JSON forms. Integer arrays are little-endian, as the value
 * bytes of a BPF map are on x86_64 and arm64. Bad input is EINVAL with the reason, never a partial value.
 */
public final class ValueCodec {

    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ValueCodec() {
    }

    /**
     * @throws BpfException EINVAL when the byte count is not a whole number of the format's integers
     */
    public static EncodedValue encode(byte[] bytes, ValueFormat format, String operation) {
        if (bytes.length % format.width() != 0) {
            throw new BpfException(Errno.EINVAL, operation, bytes.length + " bytes are not a whole number of "
                    + format.field() + " (" + format.width() + " bytes each); use hex or base64");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = bytes.length / format.width();
        return switch (format) {
            case HEX -> new EncodedValue(HEX.formatHex(bytes), null, null, null, null, null, null);
            case BASE64 -> new EncodedValue(null, Base64.getEncoder().encodeToString(bytes), null, null, null, null, null);
            case U8 -> new EncodedValue(null, null, longs(n, () -> (long) Byte.toUnsignedInt(le.get())), null, null, null, null);
            case U16 -> new EncodedValue(null, null, null, longs(n, () -> (long) Short.toUnsignedInt(le.getShort())), null, null, null);
            case U32 -> new EncodedValue(null, null, null, null, longs(n, () -> Integer.toUnsignedLong(le.getInt())), null, null);
            case U64 -> {
                List<BigInteger> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(new BigInteger(Long.toUnsignedString(le.getLong())));
                }
                yield new EncodedValue(null, null, null, null, null, out, null);
            }
            case I64 -> new EncodedValue(null, null, null, null, null, null, longs(n, le::getLong));
        };
    }

    /**
     * The bytes of the one value field that is set.
     *
     * @throws BpfException EINVAL when none or several fields are set, or one does not parse or fit
     */
    public static byte[] decode(ValueFields fields, String operation) {
        List<ValueFormat> given = new ArrayList<>();
        Object value = null;
        for (ValueFormat f : ValueFormat.values()) {
            Object v = field(fields, f);
            if (v != null) {
                given.add(f);
                value = v;
            }
        }
        if (given.size() != 1) {
            throw new BpfException(Errno.EINVAL, operation, "give exactly one of " + ValueFormat.NAMES
                    + "; got " + (given.isEmpty() ? "none" : given.stream().map(ValueFormat::field).toList()));
        }
        ValueFormat format = given.getFirst();
        return switch (format) {
            case HEX -> parseHex((String) value, operation);
            case BASE64 -> parseBase64((String) value, operation);
            case U64 -> {
                List<?> items = (List<?>) value;
                ByteBuffer out = ByteBuffer.allocate(items.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (Object o : items) {
                    BigInteger b = (BigInteger) o;
                    if (b == null || b.signum() < 0 || b.compareTo(U64_MAX) > 0) {
                        throw new BpfException(Errno.EINVAL, operation, "u64 element " + b + " is not in [0, 2^64-1]");
                    }
                    out.putLong(b.longValue());
                }
                yield out.array();
            }
            default -> packLongs(format, (List<?>) value, operation);
        };
    }

    private static Object field(ValueFields fields, ValueFormat format) {
        return switch (format) {
            case HEX -> fields.hex();
            case BASE64 -> fields.base64();
            case U8 -> fields.u8();
            case U16 -> fields.u16();
            case U32 -> fields.u32();
            case U64 -> fields.u64();
            case I64 -> fields.i64();
        };
    }

    private static byte[] packLongs(ValueFormat format, List<?> items, String operation) {
        ByteBuffer out = ByteBuffer.allocate(items.size() * format.width()).order(ByteOrder.LITTLE_ENDIAN);
        long max = format == ValueFormat.I64 ? Long.MAX_VALUE : (1L << (8 * format.width())) - 1;
        for (Object o : items) {
            Long v = (Long) o;
            if (v == null || (format != ValueFormat.I64 && (v < 0 || v > max))) {
                throw new BpfException(Errno.EINVAL, operation,
                        format.field() + " element " + v + " is not in [0, " + max + "]");
            }
            switch (format) {
                case U8 -> out.put((byte) (long) v);
                case U16 -> out.putShort((short) (long) v);
                case U32 -> out.putInt((int) (long) v);
                default -> out.putLong(v);
            }
        }
        return out.array();
    }

    private static byte[] parseHex(String hex, String operation) {
        try {
            return HEX.parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new BpfException(Errno.EINVAL, operation, "hex is not an even number of hex digits: " + e.getMessage());
        }
    }

    private static byte[] parseBase64(String base64, String operation) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new BpfException(Errno.EINVAL, operation, "base64 does not decode: " + e.getMessage());
        }
    }

    private static List<Long> longs(int n, java.util.function.Supplier<Long> next) {
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next.get());
        }
        return out;
    }
}
