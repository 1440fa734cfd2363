package org.hypertube.account;

/** A request about an account that cannot be done as asked; {@code field} and {@code code} go beside the form field. */
class AccountException extends RuntimeException {

    private final String field;
    private final String code;

    AccountException(String field, String code) {
        super(field + ": " + code);
        this.field = field;
        this.code = code;
    }

    String field() { return field; }

    String code() { return code; }
}
