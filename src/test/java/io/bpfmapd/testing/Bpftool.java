package io.bpfmapd.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's bpftool (Debian package bpftool), the real peer that creates, pins, reads and freezes
 * maps beside the service and checks what it did to them. Keys are u32 and go little-endian, byte by
 * byte, as bpftool's {@code key} arguments.
 */
public final class Bpftool {

    private static final Pattern HEX_BYTE = Pattern.compile("\"0x([0-9a-f]{2})\"");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Optional<Path> PATH = Stream.of("/usr/sbin/bpftool", "/usr/bin/bpftool", "/sbin/bpftool")
            .map(Path::of).filter(Files::isExecutable).findFirst();

    private Bpftool() {
    }

    /** A {@link Requirement}: bpftool must be installed (CI fails without it, elsewhere the test skips). */
    public static void require() {
        Requirement.require("bpftool", PATH.isPresent(), "not installed (Debian: apt-get install bpftool)");
    }

    /** Runs {@code bpftool args...}; returns stdout, fails the test with the output on a non-zero exit. */
    public static String run(String... args) {
        require();
        List<String> cmd = new ArrayList<>();
        cmd.add(PATH.orElseThrow().toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("bpftool timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                fail("bpftool exited " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            return fail("cannot run bpftool: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** The value bytes of {@code bpftool -j map lookup pinned <pin> key <u32>}. */
    public static byte[] lookup(Path pin, int key) {
        List<String> args = new ArrayList<>(List.of("-j", "map", "lookup", "pinned", pin.toString(), "key"));
        args.addAll(keyBytes(key));
        String json = run(args.toArray(String[]::new));
        Matcher m = HEX_BYTE.matcher(json.substring(json.indexOf("\"value\"")));
        List<Byte> bytes = new ArrayList<>();
        while (m.find()) {
            bytes.add((byte) Integer.parseInt(m.group(1), 16));
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    /** {@code bpftool map update pinned <pin> key <u32> value <bytes>}. */
    public static void update(Path pin, int key, byte[] value) {
        List<String> args = new ArrayList<>(List.of("map", "update", "pinned", pin.toString(), "key"));
        args.addAll(keyBytes(key));
        args.add("value");
        for (byte b : value) {
            args.add(Integer.toString(b & 0xff));
        }
        run(args.toArray(String[]::new));
    }

    /** The kernel's id of the map pinned at {@code pin}, as {@code bpftool -j map show} reports it. */
    public static long mapId(Path pin) {
        String json = run("-j", "map", "show", "pinned", pin.toString());
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            fail("no id in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    private static List<String> keyBytes(int key) {
        return List.of(Integer.toString(key & 0xff), Integer.toString((key >>> 8) & 0xff),
                Integer.toString((key >>> 16) & 0xff), Integer.toString(key >>> 24));
    }
}
