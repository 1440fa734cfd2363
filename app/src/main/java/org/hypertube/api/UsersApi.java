package org.hypertube.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hypertube.account.AccountService;
import org.hypertube.account.MemberPictures;
import org.hypertube.account.PictureUrls;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.hypertube.system.SiteLinks;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/users")
@Tag(name = "users")
@SecurityRequirement(name = "oauth2")
class UsersApi {

    private final AccountService accounts;
    private final SiteLinks links;
    private final MemberPictures pictures;
    private final PictureUrls pictureUrls;

    UsersApi(AccountService accounts, SiteLinks links, MemberPictures pictures, PictureUrls pictureUrls) {
        this.accounts = accounts;
        this.links = links;
        this.pictures = pictures;
        this.pictureUrls = pictureUrls;
    }

    record UserSummary(long id, String username) {
    }

    /** The e-mail is present only for the member themself or an administrator. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UserDetails(long id, String username, String firstName, String lastName, String email, String pictureUrl) {
    }

    /**
     * Fields to change; absent ones stay as they are. A new e-mail or password needs the member's
     * {@code currentPassword}: 400 without it, 403 when it is wrong or the member has none. {@code pictureUrl} is a
     * picture the server fetches from a public address and stores like an upload ({@link PictureUrls}).
     */
    record UserPatch(@Pattern(regexp = "^[A-Za-z0-9._-]{3,30}$") String username,
                     @Email @Size(max = 254) String email,
                     @Size(min = 1, max = 128) String password,
                     @Size(max = 128) String currentPassword,
                     @Size(max = 2000) String pictureUrl) {
        @Override
        public String toString() {
            return "UserPatch[" + username + "]";
        }
    }

    @GetMapping
    @Operation(summary = "Members, by id")
    PageOf<UserSummary> list(@RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
                             @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return PageOf.of(accounts.list(page, size).map(m -> new UserSummary(m.id(), m.username())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One member; the e-mail only for themself or an administrator", description = """
            The subject lists the e-mail among a user's fields; this server keeps the site's privacy rule instead: \
            the e-mail is shown only to the member themself (their own client, or a token they consented to) and to \
            administrators. `pictureUrl` answers with the same token.""")
    UserDetails get(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        var caller = Caller.of(jwt);
        var member = accounts.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such member."));
        return details(member, caller.is(id) || caller.admin());
    }

    @GetMapping("/{id}/picture")
    @Operation(summary = "The member's picture (a default avatar when they have none)")
    ResponseEntity<Resource> picture(@PathVariable long id) {
        accounts.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such member."));
        return pictures.picture(id);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change one's own username, e-mail, password (the last two with currentPassword) or picture",
            description = """
            Only the member themself may change their account. `pictureUrl` names a picture the server fetches and \
            stores like an uploaded one: an `http` or `https` URL (else 400) whose host, and every redirect's, is a public \
            address; the answer must be a PNG, JPEG, GIF or BMP image (`image/*`, not SVG) of at most 2 MB and 8000 pixels \
            a side, within 15 seconds. A picture URL that is refused (an address that is not public, not an image, too \
            large, no answer) is a 422 problem and changes nothing; 503 with `Retry-After` when the server is busy \
            decoding other pictures. The stored picture is re-encoded and answers at the member's `pictureUrl`.""")
    UserDetails patch(@PathVariable long id, @Valid @RequestBody UserPatch patch, @AuthenticationPrincipal Jwt jwt)
            throws PictureUrls.RefusedUrl {
        var caller = Caller.of(jwt);
        accounts.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such member."));
        if (!caller.is(id)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only the member themself may change their account.");
        }
        String picture = patch.pictureUrl() == null ? null : picture(id, patch.pictureUrl());
        AccountService.MemberView changed;
        try {
            changed = accounts.patch(id, patch.username(), patch.email(), patch.password(), patch.currentPassword());
        } catch (RuntimeException e) {
            if (picture != null) {
                pictureUrls.drop(picture);
            }
            throw e;
        }
        if (picture != null) {
            pictureUrls.use(id, picture);
        }
        return details(changed, true);
    }

    /** Fetches and stores the picture a URL names; a refusal is answered by {@link ApiProblems}. */
    private String picture(long id, String url) throws PictureUrls.RefusedUrl {
        return pictureUrls.fetch(id, pictureUrls.parse(id, url));
    }

    private UserDetails details(AccountService.MemberView m, boolean withEmail) {
        return new UserDetails(m.id(), m.username(), m.firstName(), m.lastName(), withEmail ? m.email() : null,
                links.link("/api/users/" + m.id() + "/picture"));
    }
}
