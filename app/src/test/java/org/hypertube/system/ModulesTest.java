package org.hypertube.system;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.hypertube.HypertubeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModulesTest {

    /**
     * The features of the application; {@code org.hypertube.torrent} is our engine, a plain library JAR
     * with its own public API (package-private internals), not a feature of the application.
     */
    @Test
    void featuresOnlyUseEachOthersPublicFaces() {
        ApplicationModules.of(HypertubeApplication.class, resideInAPackage("org.hypertube.torrent..")).verify();
    }

    /**
     * The engine's API is its top package ({@code TorrentClient}, {@code Torrent}, {@code TorrentStream},
     * events, {@code Metainfo}, {@code Magnet}, {@code InfoHash}...); its sub-packages are its inside,
     * public only because Java needs it across packages. The application's code never reaches into them.
     */
    @Test
    void theApplicationUsesOnlyTheEnginesApiPackage() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.hypertube");
        noClasses().that().resideOutsideOfPackage("org.hypertube.torrent..")
                .should().dependOnClassesThat(resideInAPackage("org.hypertube.torrent..")
                        .and(not(resideInAPackage("org.hypertube.torrent"))))
                .because("the engine's API is the package org.hypertube.torrent; the rest is its inside")
                .check(classes);
    }
}
