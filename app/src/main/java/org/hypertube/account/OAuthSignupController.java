package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** The first OAuth2 login of someone new: they choose a free username (and give an e-mail if needed). */
@Controller
class OAuthSignupController {

    private final AccountService accounts;
    private final SignIn signIn;

    OAuthSignupController(AccountService accounts, SignIn signIn) {
        this.accounts = accounts;
        this.signIn = signIn;
    }

    @GetMapping("/signup/oauth")
    String form(Authentication authentication, Model model) {
        if (!(authentication.getPrincipal() instanceof PendingSignup pending)) {
            return "redirect:/";
        }
        ProviderProfile p = pending.profile();
        // An address an account holds already is not offered: it would only be refused as taken.
        boolean emailKnown = accounts.providerEmailUsable(p);
        model.addAttribute("form", new OAuthSignupForm(emailKnown ? p.email() : null,
                Usernames.suggest(p.login(), accounts::usernameFree), p.firstName(), p.lastName()));
        model.addAttribute("emailKnown", emailKnown);
        return "account/oauth-signup";
    }

    @PostMapping("/signup/oauth")
    String complete(@Valid @ModelAttribute("form") OAuthSignupForm form, BindingResult errors, Authentication authentication,
                    Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) {
        if (!(authentication.getPrincipal() instanceof PendingSignup pending)) {
            return "redirect:/";
        }
        ProviderProfile p = pending.profile();
        boolean emailKnown = accounts.providerEmailUsable(p);
        if (!errors.hasErrors()) {
            try {
                Member member = accounts.completeSignup(p, form, locale.getLanguage());
                signIn.as(member, request, response, true);
                return "redirect:/";
            } catch (AccountException e) {
                errors.rejectValue(e.field(), e.code());
            }
        }
        model.addAttribute("emailKnown", emailKnown);
        return "account/oauth-signup";
    }
}
