package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.hypertube.system.Languages;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;

/** The language switcher on every page: remembered in the profile when signed in, in a cookie otherwise. */
@Controller
class LanguageController {

    private final AccountService accounts;
    private final LocaleResolver locales;
    private final SignIn signIn;

    LanguageController(AccountService accounts, LocaleResolver locales, SignIn signIn) {
        this.accounts = accounts;
        this.locales = locales;
        this.signIn = signIn;
    }

    @PostMapping("/language")
    String change(@RequestParam String lang, @RequestParam(defaultValue = "/") String redirect, Authentication authentication,
                  HttpServletRequest request, HttpServletResponse response) {
        if (Languages.isSupported(lang)) {
            locales.setLocale(request, response, Locale.forLanguageTag(lang));
            if (authentication != null && authentication.getPrincipal() instanceof MemberPrincipal me) {
                accounts.setLanguage(me.id(), lang);
                accounts.find(me.id()).ifPresent(m -> signIn.as(m, request, response, false));
            }
        }
        return "redirect:" + localPath(redirect);
    }

    /** Only a path of this site, so the switcher cannot be used to send people elsewhere. */
    static String localPath(String target) {
        return org.hypertube.system.SiteLinks.localPath(target);
    }
}
