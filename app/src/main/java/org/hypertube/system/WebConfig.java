package org.hypertube.system;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
class WebConfig implements WebMvcConfigurer {

    /** The one clock; tests replace it to control time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LocaleResolver localeResolver(ObjectProvider<PreferredLanguage> preferred) {
        return new MemberLocaleResolver(preferred);
    }
}
