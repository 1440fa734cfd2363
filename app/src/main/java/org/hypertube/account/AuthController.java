package org.hypertube.account;

import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** Sign-in and sign-up pages. */
@Controller
class AuthController {

    private final AccountService accounts;
    private final OAuthLogin.Providers providers;

    AuthController(AccountService accounts, OAuthLogin.Providers providers) {
        this.accounts = accounts;
        this.providers = providers;
    }

    @GetMapping("/login")
    String login(Model model, HttpSession session) {
        model.addAttribute("providers", providers.list());
        Object username = session.getAttribute("LOGIN_USERNAME");
        session.removeAttribute("LOGIN_USERNAME");
        model.addAttribute("username", username instanceof String s && s.length() <= 254 ? s : "");
        return "account/login";
    }

    @GetMapping("/register")
    String registerForm(Model model) {
        model.addAttribute("form", RegistrationForm.empty());
        model.addAttribute("providers", providers.list());
        return "account/register";
    }

    @PostMapping("/register")
    String register(@Valid @ModelAttribute("form") RegistrationForm form, BindingResult errors, Model model,
                    Locale locale) {
        if (!errors.hasErrors()) {
            try {
                // The same answer whether or not the e-mail was registered already (see AccountService#register).
                accounts.register(form, locale.getLanguage());
                return "redirect:/login?registered";
            } catch (AccountException e) {
                errors.rejectValue(e.field(), e.code());
            }
        }
        model.addAttribute("providers", providers.list());
        return "account/register";
    }
}
