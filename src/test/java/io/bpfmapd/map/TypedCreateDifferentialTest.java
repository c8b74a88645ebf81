package io.bpfmapd.map;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.RequiresKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.bpfmapd.map.ValueTypeKind.BPF_SPIN_LOCK;
import static io.bpfmapd.map.ValueTypeKind.BPF_TIMER;
import static io.bpfmapd.map.ValueTypeKind.U32;
import static io.bpfmapd.map.ValueTypeKind.U64;
import static io.bpfmapd.map.ValueTypeKind.U8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typed creates on both backends, table-driven: the same value type, map type and flags must give the
 * same errno, or the same map (special fields found or not, freeze's answer, and a lookup after an
 * update that leaves special fields alone). Each row also says what Linux 6.18 answers, so a wrong
 * kernel model fails here even when both backends agree.
 */
@RequiresKernel
class TypedCreateDifferentialTest {

    private static final int RDONLY_PROG = MapFlag.RDONLY_PROG.bit();
    private static final int WRONLY_PROG = MapFlag.WRONLY_PROG.bit();
    private static final int MMAPABLE = MapFlag.MMAPABLE.bit();

    @TempDir
    Path dataDir;

    private KernelBackend kernel;
    private EmulatedBackend emulated;

    /** What a create gave: an errno, or a map with or without special fields and freeze's errno. */
    record Outcome(Errno errno, boolean specialFields, Errno freeze, String lookup) {
    }

    /** One row: {@code expected} is the kernel's answer (null errno: created), {@code valueSize} null: the type's. */
    record Row(String what, ValueType type, MapType mapType, int flags, Integer valueSize, String name,
               Errno expectedErrno, boolean expectedSpecial) {
        @Override
        public String toString() {
            return what;
        }
    }

    @BeforeEach
    void start() {
        kernel = new KernelBackend();
        emulated = new EmulatedBackend(dataDir);
    }

    @AfterEach
    void stop() {
        kernel.close();
        emulated.close();
    }

    static List<Row> rows() {
        ValueType lock = ValueType.of(BPF_SPIN_LOCK);
        ValueType timer = ValueType.of(BPF_TIMER);
        ValueType u32 = ValueType.of(U32);
        ValueType flow = ValueType.struct("flow", List.of(field("packets", ValueType.of(U64)),
                field("comm", new ValueType(ValueTypeKind.CHAR, null, 16, null, null, null, null)),
                field("proto", ValueType.of(U8))));
        return List.of(
                new Row("a plain struct", flow, MapType.ARRAY, 0, null, "flow", null, false),
                new Row("a plain struct, per-CPU", flow, MapType.PERCPU_ARRAY, 0, null, "flow", null, false),
                new Row("a spin lock after a u32", struct(field("n", u32), field("lock", lock)), MapType.ARRAY, 0, null, "l", null, true),
                new Row("a spin lock and a timer", struct(field("lock", lock), field("t", timer), field("n", u32)),
                        MapType.ARRAY, MMAPABLE, null, "lt", null, true),
                new Row("two spin locks: BPF_BTF_LOAD's E2BIG", struct(field("a", lock), field("b", lock)),
                        MapType.ARRAY, 0, null, "ll", Errno.E2BIG, false),
                new Row("two spin locks come before bad flags", struct(field("a", lock), field("b", lock)),
                        MapType.ARRAY, MapFlag.RDONLY.bit() | MapFlag.WRONLY.bit(), null, "ll", Errno.E2BIG, false),
                new Row("two timers: no special field at all", struct(field("a", timer), field("b", timer)),
                        MapType.ARRAY, 0, null, "tt", null, false),
                new Row("a timer in a per-CPU array", struct(field("t", timer)), MapType.PERCPU_ARRAY, 0, null, "t",
                        Errno.EOPNOTSUPP, false),
                new Row("a spin lock in a per-CPU array", struct(field("l", lock)), MapType.PERCPU_ARRAY, 0, null, "l",
                        Errno.EOPNOTSUPP, false),
                new Row("a spin lock with RDONLY_PROG", struct(field("l", lock)), MapType.ARRAY, RDONLY_PROG, null, "l",
                        Errno.EACCES, false),
                new Row("a timer with WRONLY_PROG", struct(field("t", timer)), MapType.ARRAY, WRONLY_PROG, null, "t",
                        Errno.EACCES, false),
                new Row("two timers with RDONLY_PROG", struct(field("a", timer), field("b", timer)), MapType.ARRAY,
                        RDONLY_PROG, null, "tt", null, false),
                new Row("valueSize beyond the type's", struct(field("l", lock)), MapType.ARRAY, 0, 8, "l", Errno.EINVAL, false),
                new Row("valueSize below the type's", flow, MapType.ARRAY, 0, 16, "flow", Errno.EINVAL, false),
                new Row("a bad name comes before the BTF's rules", struct(field("l", lock)), MapType.PERCPU_ARRAY, 0, null,
                        "bad-name", Errno.EINVAL, false),
                new Row("an enum, a union and an array", struct(
                        field("e", new ValueType(ValueTypeKind.ENUM, "proto", null, null, null,
                                List.of(new ValueType.ValueTypeEnumerator("TCP", 6L), new ValueType.ValueTypeEnumerator("NEG", -1L)),
                                null)),
                        field("u", new ValueType(ValueTypeKind.UNION, null, null, null,
                                List.of(field("a", ValueType.of(U64)), field("b", u32)), null, null)),
                        field("a", new ValueType(ValueTypeKind.ARRAY, null, 3, flow, null, null, null)),
                        field("lock", lock)),
                        MapType.ARRAY, 0, null, "mixed", null, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bothBackendsAnswerAsLinux(Row row) {
        ValueTypeBtf.Built built = ValueTypeBtf.build(row.type());
        int valueSize = row.valueSize() != null ? row.valueSize() : (int) built.size();
        MapSpec spec = new MapSpec(row.name(), row.mapType(), 4, valueSize, 2, row.flags(), false, built.btf());

        Outcome onKernel = outcome(kernel, spec);
        Outcome onEmulated = outcome(emulated, spec);

        assertThat(onEmulated).as("emulated vs kernel").isEqualTo(onKernel);
        assertThat(onKernel.errno()).as("the kernel's errno").isEqualTo(row.expectedErrno());
        if (row.expectedErrno() == null) {
            assertThat(onKernel.specialFields()).as("special fields").isEqualTo(row.expectedSpecial());
            assertThat(onKernel.freeze()).isEqualTo(row.expectedSpecial() ? Errno.ENOTSUPP : null);
        }
    }

    private static Outcome outcome(BpfBackend backend, MapSpec spec) {
        BpfMap map;
        try {
            map = backend.create(spec);
        } catch (BpfException e) {
            return new Outcome(e.errno(), false, null, null);
        }
        try (map) {
            boolean special = map.info().spec().valueHasSpinLock();
            int size = (int) map.geometry().valueSize();
            byte[] ones = new byte[size];
            Arrays.fill(ones, (byte) 0xff);
            map.update(1, ones, io.bpfmapd.backend.UpdateFlag.ANY);
            String lookup = java.util.HexFormat.of().formatHex(map.lookup(1));
            Errno freeze = null;
            try {
                map.freeze();
            } catch (BpfException e) {
                freeze = e.errno();
            }
            return new Outcome(null, special, freeze, lookup);
        }
    }

    private static ValueType.ValueTypeField field(String name, ValueType type) {
        return new ValueType.ValueTypeField(name, type);
    }

    private static ValueType struct(ValueType.ValueTypeField... fields) {
        return ValueType.struct("value", List.of(fields));
    }
}
