package org.hypertube.account;

import java.time.Duration;
import java.util.Optional;
import org.hypertube.system.PreferredLanguage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** How a member proves who they are with a password, slowed down after repeated failures. */
@Configuration(proxyBeanMethods = false)
class MemberAuthentication {

    /** Thrown while an account or address is locked out; the login page says to wait. */
    static final class LoginThrottledException extends LockedException {
        LoginThrottledException(Duration wait) {
            super("too many failed logins; wait " + wait.toSeconds() + " s");
        }
    }

    @Bean
    AuthenticationProvider memberPasswordAuthentication(MemberRepository members, PasswordEncoder encoder,
                                                        LoginThrottle throttle) {
        var dao = new DaoAuthenticationProvider(username -> members.findByUsernameKey(Member.key(username))
                .filter(Member::hasPassword)
                .map(MemberPrincipal::new)
                .orElseThrow(() -> new UsernameNotFoundException("no member with that username")));
        dao.setPasswordEncoder(encoder);
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) throws AuthenticationException {
                String username = authentication.getName();
                String address = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
                Duration wait = throttle.waitFor(username, address);
                if (!wait.isZero()) {
                    throw new LoginThrottledException(wait);
                }
                try {
                    Authentication result = dao.authenticate(authentication);
                    throttle.succeeded(username);
                    return result;
                } catch (BadCredentialsException e) {
                    throttle.failed(username, address);
                    throw e;
                }
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }

    @Bean
    PreferredLanguage preferredLanguage() {
        return authentication -> authentication.getPrincipal() instanceof MemberPrincipal m
                ? Optional.of(m.language()) : Optional.empty();
    }
}
