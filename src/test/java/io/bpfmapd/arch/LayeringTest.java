package io.bpfmapd.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** The layering of STYLE.md: engines know nothing of HTTP or Spring, controllers nothing of FFM. */
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
        noClasses().that().resideInAnyPackage("io.bpfmapd.map..", "io.bpfmapd.session..", "io.bpfmapd.web..")
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
}
