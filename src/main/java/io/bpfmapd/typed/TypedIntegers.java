package io.bpfmapd.typed;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.math.BigInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Integers in typed JSON: a JSON integer, a string of decimal digits (the 64-bit form) or of hex ("0x1f"). */
final class TypedIntegers {

    static final String OPERATION = "typed";

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,40}");
    private static final Pattern HEX = Pattern.compile("-?0[xX][0-9a-fA-F]{1,32}");

    private TypedIntegers() {
    }

    /** The JSON integer at {@code path}, checked to be in [{@code min}, {@code max}]. */
    static BigInteger parse(JsonNode json, String path, BigInteger min, BigInteger max) {
        BigInteger v = parse(json, path);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw invalid(path, v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    static BigInteger parse(JsonNode json, String path) {
        if (json.isIntegralNumber()) {
            return json.bigIntegerValue();
        }
        if (json.isString()) {
            String s = json.stringValue();
            if (DECIMAL.matcher(s).matches()) {
                return new BigInteger(s);
            }
            if (HEX.matcher(s).matches()) {
                boolean negative = s.startsWith("-");
                BigInteger v = new BigInteger(s.substring(negative ? 3 : 2), 16);
                return negative ? v.negate() : v;
            }
        }
        throw invalid(path, describe(json) + " is not an integer (a JSON integer, or a string of decimal digits)");
    }

    /** [0, 2^bits − 1], or [−2^(bits−1), 2^(bits−1) − 1] when signed. */
    static BigInteger min(int bits, boolean signed) {
        return signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    }

    static BigInteger max(int bits, boolean signed) {
        return BigInteger.ONE.shiftLeft(signed ? bits - 1 : bits).subtract(BigInteger.ONE);
    }

    static BpfException invalid(String path, String reason) {
        return new BpfException(Errno.EINVAL, OPERATION, path + ": " + reason);
    }

    /** A short description of a JSON value for an error message: its type and, if short, its text. */
    static String describe(JsonNode json) {
        String text = json.toString();
        String type = json.isObject() ? "an object" : json.isArray() ? "an array" : json.isString() ? "the string"
                : json.isBoolean() ? "the boolean" : json.isNull() ? "null" : "the number";
        if (json.isContainer() || json.isNull()) {
            return type;
        }
        return type + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
