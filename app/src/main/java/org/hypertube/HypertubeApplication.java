package org.hypertube;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hypertube: sign in, search a film, press Play. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HypertubeApplication {

    public static void main(String[] args) {
        SpringApplication.run(HypertubeApplication.class, args);
    }
}
