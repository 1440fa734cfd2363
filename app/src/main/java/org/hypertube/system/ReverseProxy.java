package org.hypertube.system;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.catalina.valves.RemoteIpValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Running behind a reverse proxy (HYPERTUBE_TRUSTED_PROXIES: addresses or CIDRs, none by default). Only
 * a request that comes straight from one of them has its {@code X-Forwarded-For} and {@code
 * X-Forwarded-Proto} believed (Tomcat's {@link RemoteIpValve}, with exactly these proxies as its internal
 * proxies); from anyone else these headers change nothing, and {@code Forwarded} is never read (Spring's
 * ForwardedHeaderFilter, which trusts every sender, is off: server.forward-headers-strategy=none). So
 * the sign-in throttle, the token endpoint's limit and the logs see the real client address.
 *
 * <p>When HYPERTUBE_BASE_URL is https the session cookie is Secure (and {@link SecurityConfig} sends HSTS).
 */
@Configuration(proxyBeanMethods = false)
class ReverseProxy {

    private static final Logger log = LoggerFactory.getLogger(ReverseProxy.class);
    private static final Pattern ENTRY = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)(/\\d{1,3})?");

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustedProxies(
            @Value("${hypertube.trusted-proxies:}") String setting) {
        String cidrs = cidrs(setting);
        return factory -> {
            if (cidrs.isEmpty()) {
                return;   // no valve: forwarded headers are believed from no one
            }
            RemoteIpValve valve = new RemoteIpValve();
            valve.setInternalProxies(cidrs);
            valve.setTrustedProxies(null);
            valve.setRemoteIpHeader("X-Forwarded-For");
            valve.setProtocolHeader("X-Forwarded-Proto");
            valve.setProtocolHeaderHttpsValue("https");
            valve.setPortHeader("X-Forwarded-Port");
            factory.addEngineValves(valve);
            log.info("forwarded headers believed from {} only", cidrs);
        };
    }

    /**
     * The setting as RemoteIpValve's CIDR list: "10.0.0.5, 192.168.1.0/24 ::1" becomes
     * "10.0.0.5/32,192.168.1.0/24,::1/128". Host names and anything else are refused at start.
     */
    static String cidrs(String setting) {
        if (setting == null || setting.isBlank()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String entry : setting.strip().split("[,\\s]+")) {
            if (!ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException("HYPERTUBE_TRUSTED_PROXIES: not an IP address or CIDR: " + entry);
            }
            boolean v6 = entry.contains(":");
            String cidr = entry.contains("/") ? entry : entry + (v6 ? "/128" : "/32");
            try {
                new org.apache.catalina.util.NetMask(cidr);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HYPERTUBE_TRUSTED_PROXIES: not an IP address or CIDR: " + entry, e);
            }
            out.add(cidr);
        }
        return String.join(",", out);
    }

    @Bean
    ServletContextInitializer secureSessionCookie(HypertubeProperties properties) {
        return context -> {
            if (https(properties)) {
                context.getSessionCookieConfig().setSecure(true);
            }
        };
    }

    static boolean https(HypertubeProperties properties) {
        return properties.baseUrl() != null && "https".equalsIgnoreCase(properties.baseUrl().getScheme());
    }
}
