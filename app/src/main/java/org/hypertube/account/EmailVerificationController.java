package org.hypertube.account;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The mailed link, opened while signed in as the member it was sent to (someone not signed in signs
 * in first and comes back here), and the banner's "send it again".
 */
@Controller
class EmailVerificationController {

    private final EmailVerification verification;

    EmailVerificationController(EmailVerification verification) {
        this.verification = verification;
    }

    @GetMapping("/email/verify")
    String verify(@RequestParam(defaultValue = "") String token, @AuthenticationPrincipal MemberPrincipal me,
                  RedirectAttributes redirect) {
        if (verification.verify(token, me.id())) {
            redirect.addFlashAttribute("saved", "verify.done");
        } else {
            redirect.addFlashAttribute("verifyError", "verify.invalid");
        }
        return "redirect:/users/" + me.id() + "/edit";
    }

    @PostMapping("/email/resend")
    String resend(@AuthenticationPrincipal MemberPrincipal me, RedirectAttributes redirect) {
        verification.resend(me.id());
        redirect.addFlashAttribute("saved", "verify.sent");
        return "redirect:/users/" + me.id() + "/edit";
    }
}
