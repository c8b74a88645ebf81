package io.bpfmapd.web;

import java.util.regex.Pattern;

/**
 * A value a client chose (a path, a name, an id), or read from a file, as it may appear in a log line:
 * as is when it holds only plainly safe characters, else quoted, with {@code "} and {@code \} escaped
 * and every control character written as an escape ({@code \n}, {@code \r}, {@code \t}, else
 * {@code \u001b}), so that a pin path with a newline cannot end a line and forge the next one. Every
 * log site that writes such a string goes through {@link #of}.
 */
public final class LogValue {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    private LogValue() {
    }

    /** {@code -} for none, the value as is when it is plainly safe, else a quoted and escaped string. */
    public static String of(Object raw) {
        String value = raw == null ? null : raw.toString();
        if (value == null || value.isEmpty()) {
            return "-";
        }
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"', '\\' -> quoted.append('\\').appendCodePoint(c);
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                        quoted.append(String.format("\\u%04x", c));
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }
}
