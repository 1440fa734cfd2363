package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import org.hypertube.system.Languages;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the page frame needs on every page: who is signed in, the languages, and where we are. */
@ControllerAdvice
class CurrentMemberAdvice {

    @ModelAttribute("me")
    MemberPrincipal me() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof MemberPrincipal m ? m : null;
    }

    @ModelAttribute("languages")
    Object languages() {
        return Languages.ALL;
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        // On an error page, the address the person asked for, not the internal /error.
        Object failed = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        String query = failed == null ? request.getQueryString() : null;
        String path = (failed instanceof String f ? f : request.getRequestURI()) + (query == null ? "" : "?" + query);
        return LanguageController.localPath(path);
    }
}
