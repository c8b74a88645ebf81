package io.bpfmapd.backend.kernel.sys;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.bpfmapd.testing.Requirement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds every named bpf_attr layout of this package (main and test sources) to the C header: a tiny C
 * program, compiled against the installed uapi {@code <linux/bpf.h>}, prints offsetof and sizeof of each
 * field the layouts name, and each layout's field must sit at the same offset with the same size.
 *
 * <p>Which C type a layout mirrors follows from its name: {@code *_ATTR} is a member of
 * {@code union bpf_attr}, anonymous (its fields are the union's) unless {@link #NAMED_ATTR_MEMBERS} names
 * it; any other layout must be in {@link #C_STRUCTS} or {@link #NOT_KERNEL}. A named C type's sizeof must equal the layout's
 * size. An anonymous struct has no name for sizeof to take, so its layout must end where its last field
 * ends, rounded up to its alignment (as C pads a struct), and fit in {@code sizeof(union bpf_attr)}.
 *
 * <p>The header is the one linux-libc-dev installs (6.1 on this project's machines); the layouts use no
 * field newer than that. Without a C compiler or the header this test fails under CI=true and skips
 * elsewhere.
 */
class BpfAttrHeaderTest {

    private static final String PACKAGE = "io.bpfmapd.backend.kernel.sys";
    private static final Path HEADER = Path.of("/usr/include/linux/bpf.h");

    /** bpf_attr layouts that mirror a named member of {@code union bpf_attr}. */
    private static final Map<String, String> NAMED_ATTR_MEMBERS = Map.of(
            "OBJ_GET_INFO_BY_FD_ATTR", "info",
            "PROG_TEST_RUN_ATTR", "test");

    /** Layouts that mirror a C struct of their own. */
    private static final Map<String, String> C_STRUCTS = Map.of("BPF_MAP_INFO", "struct bpf_map_info",
            "BPF_BTF_INFO", "struct bpf_btf_info");

    /** Layouts that mirror no kernel type. */
    private static final Set<String> NOT_KERNEL = Set.of("Libc.CAPTURE_LAYOUT"); // the JDK's errno capture

    private static Map<String, StructLayout> layouts;
    private static Header header;

    @BeforeAll
    static void compileAndRun(@TempDir Path dir) throws Exception {
        layouts = layoutsOfThisPackage();
        Optional<String> cc = Stream.of("cc", "gcc", "clang").filter(BpfAttrHeaderTest::onPath).findFirst();
        Requirement.require("a C compiler", cc.isPresent(), "no C compiler (cc, gcc or clang) on PATH: apt-get install gcc");
        Requirement.require("the uapi header", Files.isRegularFile(HEADER), HEADER + " is missing: apt-get install linux-libc-dev");
        Path source = dir.resolve("offsets.c");
        Files.writeString(source, program(layouts));
        Path binary = dir.resolve("offsets");
        run(dir, cc.get(), "-std=gnu11", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        header = Header.parse(run(dir, binary.toString()));
    }

    @Test
    void findsTheLayoutsOfMainAndTestSources() {
        assertThat(layouts).containsKeys("MapCommands.MAP_CREATE_ATTR", "MapCommands.MAP_UPDATE_ELEM_ATTR",
                "ObjCommands.OBJ_GET_INFO_BY_FD_ATTR", "ObjCommands.BPF_MAP_INFO", "BtfCommands.BTF_LOAD_ATTR",
                "ProgCommands.PROG_LOAD_ATTR", "ProgCommands.PROG_TEST_RUN_ATTR", "IdCommands.MAP_GET_FD_BY_ID_ATTR",
                "BtfCommands.BTF_GET_FD_BY_ID_ATTR", "BtfCommands.BPF_BTF_INFO");
    }

    @Test
    void everyNamedFieldHasTheHeadersOffsetAndSize() {
        List<String> wrong = new ArrayList<>();
        layouts.forEach((key, layout) -> {
            for (MemoryLayout member : layout.memberLayouts()) {
                if (member instanceof PaddingLayout) {
                    continue;
                }
                String field = member.name().orElseThrow(() -> new AssertionError(key + " has an unnamed member " + member));
                long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
                Header.Field c = header.field(key, field);
                if (c.offset() != offset || c.size() != member.byteSize()) {
                    wrong.add(key + "." + field + ": Java offset " + offset + " size " + member.byteSize()
                            + ", C offset " + c.offset() + " size " + c.size());
                }
            }
        });
        assertThat(wrong).as("fields that disagree with %s (Linux %s)", HEADER, header.version()).isEmpty();
    }

    @Test
    void everyLayoutHasTheHeadersSize() {
        List<String> wrong = new ArrayList<>();
        layouts.forEach((key, layout) -> {
            long expected = header.size(key).orElseGet(() -> {
                // Anonymous: where the last named field ends, padded as C pads a struct.
                MemoryLayout last = layout.memberLayouts().reversed().stream()
                        .filter(m -> !(m instanceof PaddingLayout)).findFirst().orElseThrow();
                Header.Field c = header.field(key, last.name().orElseThrow());
                long end = c.offset() + c.size();
                long align = layout.byteAlignment();
                return (end + align - 1) / align * align;
            });
            if (layout.byteSize() != expected) {
                wrong.add(key + ": Java " + layout.byteSize() + " bytes, C " + expected);
            }
            if (key.endsWith("_ATTR") && layout.byteSize() > header.unionSize()) {
                wrong.add(key + ": Java " + layout.byteSize() + " bytes, more than sizeof(union bpf_attr) " + header.unionSize());
            }
        });
        assertThat(wrong).as("layout sizes that disagree with %s (Linux %s)", HEADER, header.version()).isEmpty();
    }

    /** The layouts as "Class.FIELD", from every static StructLayout field of the package's classes. */
    private static Map<String, StructLayout> layoutsOfThisPackage() throws ReflectiveOperationException {
        Map<String, StructLayout> found = new TreeMap<>();
        for (JavaClass type : new ClassFileImporter().importPackages(PACKAGE)) {
            if (!type.getPackageName().equals(PACKAGE)) {
                continue;
            }
            for (JavaField f : type.getFields()) {
                if (f.getRawType().isEquivalentTo(StructLayout.class) && f.getModifiers().contains(JavaModifier.STATIC)) {
                    String key = type.getSimpleName() + "." + f.getName();
                    if (NOT_KERNEL.contains(key)) {
                        continue;
                    }
                    var field = Class.forName(type.getName()).getDeclaredField(f.getName());
                    field.setAccessible(true);
                    found.put(key, (StructLayout) field.get(null));
                }
            }
        }
        return found;
    }

    /** The C type and member prefix a layout mirrors, from its name. */
    private record CType(String type, String prefix, String sizeof) {

        static CType of(String key) {
            String name = key.substring(key.indexOf('.') + 1);
            if (C_STRUCTS.containsKey(name)) {
                return new CType(C_STRUCTS.get(name), "", "sizeof(" + C_STRUCTS.get(name) + ")");
            }
            if (!name.endsWith("_ATTR")) {
                throw new AssertionError(key + " is neither a bpf_attr layout (*_ATTR) nor in C_STRUCTS: "
                        + "tell this test which C type it mirrors");
            }
            String member = NAMED_ATTR_MEMBERS.get(name);
            return member == null
                    ? new CType("union bpf_attr", "", null)
                    : new CType("union bpf_attr", member + ".", "sizeof(((union bpf_attr *)0)->" + member + ")");
        }
    }

    private static String program(Map<String, StructLayout> layouts) {
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <linux/version.h>
                #include <linux/bpf.h>

                int main(void) {
                    printf("@version %d.%d\\n", LINUX_VERSION_CODE >> 16, (LINUX_VERSION_CODE >> 8) & 0xff);
                    printf("@union %zu\\n", sizeof(union bpf_attr));
                """);
        layouts.forEach((key, layout) -> {
            CType type = CType.of(key);
            if (type.sizeof() != null) {
                c.append("    printf(\"@size %s %zu\\n\", \"").append(key).append("\", ").append(type.sizeof()).append(");\n");
            }
            for (MemoryLayout member : layout.memberLayouts()) {
                member.name().ifPresent(field -> {
                    String designator = type.prefix() + field;
                    c.append("    printf(\"%s %s %zu %zu\\n\", \"").append(key).append("\", \"").append(field).append("\", ")
                            .append("offsetof(").append(type.type()).append(", ").append(designator).append("), ")
                            .append("sizeof(((").append(type.type()).append(" *)0)->").append(designator).append("));\n");
                });
            }
        });
        return c.append("    return 0;\n}\n").toString();
    }

    private record Header(String version, long unionSize, Map<String, Long> sizes, Map<String, Field> fields) {

        record Field(long offset, long size) {
        }

        static Header parse(String output) {
            String version = null;
            long union = -1;
            Map<String, Long> sizes = new HashMap<>();
            Map<String, Field> fields = new HashMap<>();
            for (String line : output.strip().split("\n")) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "@version" -> version = w[1];
                    case "@union" -> union = Long.parseLong(w[1]);
                    case "@size" -> sizes.put(w[1], Long.parseLong(w[2]));
                    default -> fields.put(w[0] + "." + w[1], new Field(Long.parseLong(w[2]), Long.parseLong(w[3])));
                }
            }
            return new Header(version, union, sizes, fields);
        }

        Field field(String key, String name) {
            Field f = fields.get(key + "." + name);
            if (f == null) {
                throw new AssertionError("the C program printed nothing for " + key + "." + name);
            }
            return f;
        }

        Optional<Long> size(String key) {
            return Optional.ofNullable(sizes.get(key));
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":")).anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }
}
