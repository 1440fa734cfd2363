package org.hypertube.system;

import org.hypertube.HypertubeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModulesTest {

    @Test
    void featuresOnlyUseEachOthersPublicFaces() {
        ApplicationModules.of(HypertubeApplication.class).verify();
    }
}
