package io.bpfmapd.backend.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs Debian's bpftool as a real peer of the service; fails in CI where it is missing, skips elsewhere. */
public final class Bpftool {

    private static final Pattern HEX_BYTE = Pattern.compile("\"0x([0-9a-f]{2})\"");

    private Bpftool() {
    }

    public static void require() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/bpftool")) || Files.isExecutable(Path.of("/usr/bin/bpftool"));
        String why = "bpftool is not installed (apt-get install bpftool)";
        if (!present && KernelAvailableExtension.inCi()) {
            fail(why);
        }
        assumeTrue(present, why);
    }

    /** Runs {@code bpftool args...}; returns stdout, fails the test on a non-zero exit. */
    public static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("bpftool timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                fail("bpftool exited " + p.exitValue() + ": " + cmd + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            return fail("cannot run bpftool: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** The value bytes of {@code bpftool -j map lookup pinned <pin> key <u32 little-endian>}. */
    public static byte[] lookup(Path pin, int key) {
        String json = run("-j", "map", "lookup", "pinned", pin.toString(), "key",
                Integer.toString(key & 0xff), Integer.toString((key >>> 8) & 0xff),
                Integer.toString((key >>> 16) & 0xff), Integer.toString(key >>> 24));
        String valuePart = json.substring(json.indexOf("\"value\""));
        Matcher m = HEX_BYTE.matcher(valuePart);
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

    /** {@code bpftool map update pinned <pin> key <key> value <bytes>}. */
    public static void update(Path pin, int key, byte[] value) {
        List<String> args = new ArrayList<>(List.of("map", "update", "pinned", pin.toString(), "key",
                Integer.toString(key & 0xff), Integer.toString((key >>> 8) & 0xff),
                Integer.toString((key >>> 16) & 0xff), Integer.toString(key >>> 24), "value"));
        for (byte b : value) {
            args.add(Integer.toString(b & 0xff));
        }
        run(args.toArray(String[]::new));
    }
}
