package org.hypertube.system;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

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
}
