package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.BatchResult;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.backend.PossibleCpus;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Applies the same operations to the kernel and to the emulation, side by side, and stops at the first
 * step where they answer differently: a different errno, different bytes, or success on one side only.
 * The kernel is the reference. Everything the run opened is closed by {@link #close()}.
 */
public final class DifferentialRun implements AutoCloseable {

    /** The first step where the backends disagreed. */
    public record Divergence(int step, Op op, String kernel, String emulated) {
        @Override
        public String toString() {
            return "step " + step + ": " + op + "\n    kernel:   " + kernel + "\n    emulated: " + emulated;
        }
    }

    private final Side kernel;
    private final Side emulated;
    private final List<String> transcript = new ArrayList<>();

    public DifferentialRun(BpfBackend kernel, BpfBackend emulated) {
        this.kernel = new Side(kernel);
        this.emulated = new Side(emulated);
    }

    /** Runs {@code ops} in order; empty when both backends agreed on every step. */
    public Optional<Divergence> run(List<Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String k = kernel.apply(op);
            String e = emulated.apply(op);
            transcript.add(i + ": " + op + " -> " + k);
            if (!k.equals(e)) {
                return Optional.of(new Divergence(i, op, k, e));
            }
        }
        return Optional.empty();
    }

    /** Each step with the kernel's answer, for failure messages. */
    public List<String> transcript() {
        return transcript;
    }

    @Override
    public void close() {
        kernel.close();
        emulated.close();
    }

    /** One backend and the handles the run made on it. */
    private static final class Side {
        private static final int CPUS = PossibleCpus.count();

        private final BpfBackend backend;
        private final List<BpfMap> maps = new ArrayList<>();
        private final List<Mapping> mappings = new ArrayList<>();

        Side(BpfBackend backend) {
            this.backend = backend;
        }

        String apply(Op op) {
            return switch (op) {
                case Op.Create c -> outcome(() -> {
                    BpfMap map = backend.create(c.spec());
                    maps.add(map);
                    return "created";
                });
                case Op.Lookup l -> onMap(l.map(), m -> hex(m.lookup(l.index())));
                case Op.LookupBatch b -> onMap(b.map(), m -> {
                    BatchResult r = m.lookupBatch(b.inBatch() == null ? OptionalInt.empty() : OptionalInt.of(b.inBatch()),
                            b.count());
                    return r.values().size() + " values " + r.values().stream().map(DifferentialRun::hex).toList()
                            + " out_batch " + r.outBatch() + (r.end() ? " ENOENT" : "");
                });
                case Op.Update u -> onMap(u.map(), m -> {
                    int size = Math.max(0, valueBytes(m.info().spec()) + u.sizeDelta());
                    m.update(u.index(), bytes(size, u.seed()), u.flag());
                    return "updated";
                });
                case Op.Delete d -> onMap(d.map(), m -> {
                    m.delete(d.index());
                    return "deleted";
                });
                case Op.Freeze f -> onMap(f.map(), m -> {
                    m.freeze();
                    return "frozen";
                });
                case Op.Mmap mm -> onMap(mm.map(), m -> {
                    Mapping mapping = m.mmap(mm.offset(), mm.length(), mm.writable());
                    mappings.add(mapping);
                    return "mapped " + mapping.offset() + "+" + mapping.length() + (mapping.writable() ? " rw" : " ro");
                });
                case Op.Write w -> onMapping(w.mapping(), m -> {
                    int at = (int) (Integer.toUnsignedLong(w.offset()) % m.length());
                    int len = (int) Math.min(w.length(), m.length() - at);
                    m.write(at, bytes(len, w.seed()), 0, len);
                    return "wrote " + len + " at " + at;
                });
                case Op.Read r -> onMapping(r.mapping(), m -> {
                    byte[] all = new byte[(int) m.length()];
                    m.read(0, all, 0, all.length);
                    return hex(all);
                });
                case Op.Protect p -> onMapping(p.mapping(), m -> {
                    m.protect(p.writable());
                    return "protected " + (p.writable() ? "rw" : "ro");
                });
                case Op.Unmap u -> onMapping(u.mapping(), m -> {
                    m.close();
                    return "unmapped";
                });
                case Op.Close c -> onMap(c.map(), m -> {
                    m.close();
                    return "closed";
                });
                case Op.Info i -> onMap(i.map(), m -> describe(m.info()));
            };
        }

        void close() {
            for (Mapping m : mappings) {
                m.close();
            }
            for (BpfMap m : maps) {
                m.close();
            }
        }

        private String onMap(int index, Function<BpfMap, String> f) {
            if (maps.isEmpty()) {
                return "no map";
            }
            BpfMap map = maps.get(Math.floorMod(index, maps.size()));
            return outcome(() -> f.apply(map));
        }

        private String onMapping(int index, Function<Mapping, String> f) {
            if (mappings.isEmpty()) {
                return "no mapping";
            }
            Mapping mapping = mappings.get(Math.floorMod(index, mappings.size()));
            return outcome(() -> f.apply(mapping));
        }

        private static int valueBytes(MapSpec spec) {
            return (int) MapGeometry.of(spec, CPUS, 4096).valueSize();
        }

        private static String describe(MapInfo info) {
            return info.spec() + " frozen=" + info.frozen() + " mappings=" + info.mappings()
                    + " writable=" + info.writableMappings() + " pinned=" + info.pinnedPath();
        }

        private static String outcome(java.util.function.Supplier<String> call) {
            try {
                return call.get();
            } catch (BpfException e) {
                // The errno is the contract; the operation's name is each backend's own wording.
                return "errno " + e.errno() + (e.errno() == io.bpfmapd.backend.Errno.EUNKNOWN ? "(" + e.code() + ")" : "");
            } catch (MappingClosedException e) {
                return "mapping closed";
            } catch (IndexOutOfBoundsException e) {
                return "out of bounds";
            }
        }
    }

    static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 131 + i * 7 + 1);
        }
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
