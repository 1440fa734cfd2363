package org.hypertube.system;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cluster mode: members' sessions live in the shared database (Spring Session JDBC, auto-configured; its
 * tables come from our Flyway migration V7, never from its own scripts), so a member signed in on one
 * instance is signed in on every other, and signing out anywhere ends the session everywhere. The timeout
 * (12 h) and the cookie's HttpOnly and SameSite come from server.servlet.session.*, as for in-memory sessions;
 * the cookie is Secure when HYPERTUBE_BASE_URL is https, as {@link ReverseProxy} makes the container's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(ClusterMode.PROPERTY)
class ClusterSessions {

    @Bean
    DefaultCookieSerializerCustomizer secureSessionCookieInCluster(HypertubeProperties properties) {
        return serializer -> {
            if (ReverseProxy.https(properties)) {
                serializer.setUseSecureCookie(true);
            }
        };
    }
}
