package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Forgot your password?": ask for a link, then set a new password through it. */
@Controller
class PasswordResetController {

    private final PasswordReset reset;

    PasswordResetController(PasswordReset reset) {
        this.reset = reset;
    }

    @GetMapping("/password/forgot")
    String forgotForm() {
        return "account/forgot";
    }

    @PostMapping("/password/forgot")
    String forgot(@RequestParam(defaultValue = "") String login, HttpServletRequest request, RedirectAttributes redirect) {
        reset.request(login, request.getRemoteAddr());
        redirect.addFlashAttribute("sent", true);
        return "redirect:/password/forgot";
    }

    @GetMapping("/password/reset")
    String resetForm(@RequestParam(defaultValue = "") String token, Model model) {
        model.addAttribute("token", token);
        model.addAttribute("usable", reset.usable(token));
        return "account/reset";
    }

    @PostMapping("/password/reset")
    String resetPassword(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String password,
                         Model model, RedirectAttributes redirect) {
        try {
            if (reset.reset(token, password)) {
                redirect.addAttribute("reset", "");
                return "redirect:/login";
            }
            model.addAttribute("usable", false);
        } catch (AccountException e) {
            model.addAttribute("usable", true);
            model.addAttribute("passwordError", e.code());
        }
        model.addAttribute("token", token);
        return "account/reset";
    }
}
