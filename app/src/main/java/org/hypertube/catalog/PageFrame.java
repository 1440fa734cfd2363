package org.hypertube.catalog;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.hypertube.account.EmailVerification;
import org.hypertube.account.MemberPrincipal;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the page frame ({@code fragments/layout}: head, header, footer) shows of the request and the member,
 * but the language and the CSRF token: part of the key of a page kept whole ({@code SharedFragments.page}).
 * Keep in step with {@code templates/fragments/layout.html}.
 */
@Component
class PageFrame {

    /** The frame's key: the member's menu, the e-mail banner, the language form's return, the search box. */
    record Key(long member, String username, boolean admin, boolean verifyPending, String currentPath,
               List<String> search) {
    }

    private final EmailVerification verification;

    PageFrame(EmailVerification verification) {
        this.verification = verification;
    }

    /**
     * The frame's key for this request; puts the e-mail banner's state in the model ({@code verifyPending}),
     * so that the page is rendered with the state its key holds.
     */
    Key key(MemberPrincipal me, Model model, HttpServletRequest request) {
        boolean pending = verification.pending(me.id());
        model.addAttribute("verifyPending", pending);
        String[] search = request.getParameterValues("q");
        return new Key(me.id(), me.username(), me.admin(), pending, (String) model.getAttribute("currentPath"),
                search == null ? List.of() : List.of(search));
    }
}
