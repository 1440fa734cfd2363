package org.hypertube.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a first OAuth2 login still needs: a free username, names, and an e-mail when the provider had none. */
record OAuthSignupForm(
        @Email(message = "{email.invalid}") @Size(max = 254, message = "{field.tooLong}") String email,
        @NotBlank(message = "{field.required}") @Pattern(regexp = Usernames.PATTERN, message = "{username.invalid}") String username,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String firstName,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String lastName) {
}
