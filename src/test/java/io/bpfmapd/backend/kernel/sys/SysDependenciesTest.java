package io.bpfmapd.backend.kernel.sys;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The raw plumbing stays raw: the shipped sys classes know of the backend only the errno vocabulary
 * their failures carry. What a mapping or a map is (SegmentMapping, MapGeometry, page rounding) belongs to
 * the kernel backend above, which builds them from what sys returns.
 */
class SysDependenciesTest {

    @Test
    void sysDependsOnNoBackendClassButTheErrnoVocabulary() {
        JavaClasses sys = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.bpfmapd.backend.kernel.sys");
        noClasses().that().resideInAPackage("io.bpfmapd.backend.kernel.sys..")
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in io.bpfmapd but neither BpfException nor Errno",
                        c -> c.getPackageName().startsWith("io.bpfmapd")
                                && !c.getPackageName().startsWith("io.bpfmapd.backend.kernel.sys")
                                && !c.isEquivalentTo(BpfException.class)
                                && !c.isEquivalentTo(Errno.class)))
                .check(sys);
    }
}
