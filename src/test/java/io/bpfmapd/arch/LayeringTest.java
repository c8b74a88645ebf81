package io.bpfmapd.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The layering of STYLE.md: engines know nothing of HTTP or Spring, controllers nothing of FFM, and the
 * packages depend on each other one way only.
 */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.bpfmapd");
    }

    @Test
    void controllersKnowNothingOfTheKernelOrFfm() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfmapd.backend.kernel..", "java.lang.foreign..")
                .check(classes);
    }

    @Test
    void theWebLayerKnowsNothingOfTheKernelOrFfm() {
        noClasses().that().resideInAnyPackage("io.bpfmapd.live..", "io.bpfmapd.map..", "io.bpfmapd.session..",
                        "io.bpfmapd.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bpfmapd.backend.kernel..",
                        "io.bpfmapd.backend.emulated..", "java.lang.foreign..")
                .check(classes);
    }

    @Test
    void backendsKnowNothingOfSpringOrHttp() {
        noClasses().that().resideInAPackage("io.bpfmapd.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..",
                        "io.bpfmapd.map..", "io.bpfmapd.session..", "io.bpfmapd.web..", "io.bpfmapd.config..")
                .check(classes);
    }

    @Test
    void onlyTheSysPackageCallsNativeCode() {
        noClasses().that().resideOutsideOfPackage("io.bpfmapd.backend.kernel.sys..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.FunctionDescriptor")
                .check(classes);
    }

    /** The BTF reader is plain Java over a byte array: no Spring, no FFM, nothing else of the service's. */
    @Test
    void theBtfReaderIsPlainJava() {
        noClasses().that().resideInAPackage("io.bpfmapd.btf..")
                .should().dependOnClassesThat(resideInAnyPackage("org.springframework..", "java.lang.foreign..")
                        .or(resideInAPackage("io.bpfmapd..").and(not(resideInAPackage("io.bpfmapd.btf..")))))
                .check(classes);
    }

    /** A cycle between two feature packages means neither can be read, tested or moved without the other. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.bpfmapd.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * The one-way arrows between the packages, top to bottom: security guards the API (sessions, limits);
     * session builds on map; map and session answer through web's problem vocabulary; config and web
     * know only the backend; the backend knows none of them but btf (the emulation reads a map's BTF as
     * the kernel does, to find its special fields), and btf (the BTF reader) knows nothing at all.
     * The live views (streams) read maps and sessions and are read by nobody. typed (values as JSON by
     * their BTF type) knows only btf and the backend's errno, and serves map, session, live and export.
     * <pre>
     * live -> session
     * security -> session -> map -> limits -> web -> backend
     *        \________________\______\_> config -> backend
     * </pre>
     */
    @Test
    void layersOnlyDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("live").definedBy("io.bpfmapd.live..")
                .layer("security").definedBy("io.bpfmapd.security..")
                .layer("session").definedBy("io.bpfmapd.session..")
                .layer("export").definedBy("io.bpfmapd.export..")
                .layer("map").definedBy("io.bpfmapd.map..")
                .layer("limits").definedBy("io.bpfmapd.limits..")
                .layer("web").definedBy("io.bpfmapd.web..")
                .layer("config").definedBy("io.bpfmapd.config..")
                .layer("backend").definedBy("io.bpfmapd.backend..")
                .layer("typed").definedBy("io.bpfmapd.typed..")
                .layer("btf").definedBy("io.bpfmapd.btf..")
                .whereLayer("live").mayOnlyAccessLayers("session", "map", "limits", "web", "config", "backend", "typed", "btf")
                .whereLayer("security").mayOnlyAccessLayers("session", "limits", "web", "config", "backend", "btf")
                .whereLayer("export").mayOnlyAccessLayers("map", "limits", "web", "config", "backend", "typed", "btf")
                .whereLayer("session").mayOnlyAccessLayers("map", "limits", "web", "config", "backend", "typed", "btf")
                .whereLayer("map").mayOnlyAccessLayers("limits", "web", "config", "backend", "typed", "btf")
                .whereLayer("limits").mayOnlyAccessLayers("web", "backend")
                .whereLayer("web").mayOnlyAccessLayers("backend")
                .whereLayer("config").mayOnlyAccessLayers("backend")
                .whereLayer("typed").mayOnlyAccessLayers("backend", "btf")
                .whereLayer("backend").mayOnlyAccessLayers("btf")
                .whereLayer("btf").mayNotAccessAnyLayer()
                .check(classes);
    }
}
