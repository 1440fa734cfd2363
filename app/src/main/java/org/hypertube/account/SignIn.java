package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Puts a member in the session: after sign-up, and again when their name or language changed. */
@Component
class SignIn {

    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    void as(Member member, HttpServletRequest request, HttpServletResponse response, boolean newSession) {
        if (newSession && request.getSession(false) != null) {
            request.changeSessionId(); // no session fixation across the sign-in
        }
        var principal = new MemberPrincipal(member);
        principal.eraseCredentials();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities()));
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
