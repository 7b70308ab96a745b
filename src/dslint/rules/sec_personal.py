r"""SEC, part 1 continued: personal data (SEC006-SEC010), registered by `sec_secrets`.

Info by default: personal data in a dataset is worth knowing about, but examples with invented contacts
are common and legitimate, so these rules inform rather than fail a run (raise them per code in the
configuration). Messages show a few characters of each value only.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from dslint.model import Example, Severity, Violation
from dslint.rules import sec_scan as scan
from dslint.rules.base import record_rule
from dslint.rules.sec_scan import AllowOptions, report, times

# Placeholder and documentation domains (RFC 2606 / 6761 names, and the ones examples are written with).
DEFAULT_DOMAINS = ("example.com", "example.org", "example.net", "example.edu", "example", "test", "invalid",
                   "localhost", "local", "domain.com", "yourdomain.com", "company.com", "yourcompany.com",
                   "mycompany.com", "email.com", "youremail.com", "website.com", "yoursite.com", "acme.com",
                   "gserviceaccount.com", "users.noreply.github.com", "test.com")
# Shared mailboxes and placeholder names: not a person's address.
DEFAULT_LOCAL_PARTS = (
    "info", "support", "sales", "contact", "admin", "administrator", "webmaster", "postmaster", "hostmaster",
    "abuse", "noreply", "no-reply", "donotreply", "do-not-reply", "hello", "help", "team", "press",
    "marketing", "billing", "jobs", "careers", "feedback", "privacy", "security", "office", "enquiries",
    "inquiries", "service", "orders", "offers", "newsletter", "notifications", "alerts", "alert", "updates",
    "news", "account", "accounts", "mail", "mailer", "bounce", "reply", "git", "root", "test", "user",
    "username", "name", "yourname", "your.name", "youremail", "your.email", "email", "someone",
    "recipient", "sender", "john.doe", "jane.doe", "johndoe", "janedoe",
)
# Card numbers published as test numbers by the card networks and payment processors.
TEST_CARDS = ("4242424242424242", "4012888888881881", "4000056655665556", "5555555555554444",
              "5105105105105100", "5200828282828210", "2223003122003222", "378282246310005",
              "371449635398431", "378734493671000", "6011111111111117", "6011000990139424", "3530111333300000",
              "3566002020360505", "30569309025904", "38520000023237", "6200000000000005", "4000000000000002",
              "4000000000000077", "4000000000000093", "4000000000003220", "4222222222222")
# The IBANs of the standard's and the banks' documentation.
EXAMPLE_IBANS = ("DE89370400440532013000", "GB82WEST12345698765432", "GB29NWBK60161331926819",
                 "GB33BUKB20201555555555", "FR1420041010050500013M02606", "NL91ABNA0417164300",
                 "ES9121000418450200051332", "IT60X0542811101000000123456", "CH9300762011623852957",
                 "BE68539007547034", "AT611904300234573201", "NO9386011117947", "PL61109010140000071219812874")
# Public resolvers and documentation favourites: addresses of services, not of people.
PUBLIC_SERVICES = ("8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
                   "208.67.222.222", "208.67.220.220", "1.2.3.4", "4.3.2.1", "123.45.67.89", "12.34.56.78",
                   "11.22.33.44", "2001:4860:4860::8888",
                   "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001")


class EmailOptions(AllowOptions):
    allow_domains: tuple[str, ...] = Field(DEFAULT_DOMAINS, description="Domains (and their subdomains) "
                                           "never reported.")
    ignore_local_parts: tuple[str, ...] = Field(DEFAULT_LOCAL_PARTS, description="Mailbox names never "
                                                "reported (shared mailboxes, placeholders).")


@record_rule(code="SEC006", name="email-address", severity=Severity.INFO,
             summary="An e-mail address of a person", options=EmailOptions)
def email_address(example: Example, options: EmailOptions) -> Iterable[Violation]:
    r"""An e-mail address of a person

    ## What it does
    Finds e-mail addresses in any string of the record. Addresses at documentation and placeholder domains
    (`example.com`, `example-domain.com`, `*.test`, `yourdomain.com` ...) and shared or placeholder mailboxes (`info@`,
    `support@`, `noreply@`, `john.doe@`) are not reported, nor are `user@host` parts of URLs or file names
    such as `icon@2x.png`. The message shows the first character and the domain only.

    ## Why it matters
    A model trained on real addresses can repeat them, and a dataset holding them is personal data with
    legal duties attached (GDPR, CCPA). Examples need addresses that obviously belong to nobody.

    ## Example
    ```jsonl
    {"instruction": "Write a reply to this customer.", "input": "From: maria.gonzalez84@gmail.com\nMy order never arrived.", "output": "Dear Maria, we are sorry to hear that."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Write a reply to this customer.", "input": "From: customer@example.com\nMy order never arrived.", "output": "Dear customer, we are sorry to hear that."}
    ```

    ## Options
    - `allow` (default `[]`): addresses never reported, exactly as written.
    - `allow-domains`: domains (with their subdomains) never reported; the default lists the reserved
      documentation names and common placeholder domains.
    - `ignore-local-parts`: mailbox names never reported; the default lists shared mailboxes and
      placeholder names.
    """
    cached = scan.last  # inlined `scan.results(example)`: ten rules per record, one call fewer each
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC006")
    if not items:
        return ()
    domains, locals_ = options.allow_domains, options.ignore_local_parts
    return [Violation(item.hit.what + times(item), item.pointer, context=item.context) for item in items
            if item.hit.value not in options.allow and item.hit.detail[0] not in locals_
            and not _documentation(item.hit.detail[1], domains)]


def _documentation(domain: str, allowed: tuple[str, ...]) -> bool:
    """An allowed domain or a subdomain of one, or a domain named for examples (`example-domain.com`)."""
    return domain.startswith("example") or any(domain == d or domain.endswith("." + d) for d in allowed)


@record_rule(code="SEC007", name="phone-number", severity=Severity.INFO,
             summary="A phone number (North American format, or international with `+`)",
             options=AllowOptions)
def phone_number(example: Example, options: AllowOptions) -> Iterable[Violation]:
    r"""A phone number (North American format, or international with `+`)

    ## What it does
    Finds phone numbers written as North American numbers with separators (`(415) 867-5309`,
    `415-867-5309`, `+1 415.867.5309`) or internationally with `+` and 9 to 15 digits (`+44 20 7946 0958`).
    Fictional numbers (a `555` area code or exchange), sequences such as `234-567-8901`, and digits inside
    card numbers, IBANs or keys are not reported. Numbers without a `+` in other national formats are
    not searched for: without a country they look like any other number.

    ## Why it matters
    Phone numbers identify people and invite misuse when a model repeats them. Datasets scraped from
    support tickets, forums or CVs are full of them.

    ## Example
    ```jsonl
    {"instruction": "Summarise the voicemail.", "input": "Hi, it's Dana, call me back on 415-867-5309 after six.", "output": "Dana asks for a call back after six."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Summarise the voicemail.", "input": "Hi, it's Dana, call me back on 555-0142 after six.", "output": "Dana asks for a call back after six."}
    ```

    ## Options
    - `allow` (default `[]`): numbers never reported, as digits only (`14158675309`).
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC007")
    return report(items, options.allow) if items else ()


class CardOptions(AllowOptions):
    allow: tuple[str, ...] = Field(TEST_CARDS, description="Card numbers (digits) never reported.")


@record_rule(code="SEC008", name="payment-card-number", severity=Severity.INFO,
             summary="A payment card number that passes the Luhn check", options=CardOptions)
def payment_card_number(example: Example, options: CardOptions) -> Iterable[Violation]:
    r"""A payment card number that passes the Luhn check

    ## What it does
    Finds 13 to 19 digits, contiguous or grouped by spaces or hyphens, with the prefix and length of a card
    network (Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay) and a valid Luhn
    check digit. The networks' and payment processors' published test numbers (`4242 4242 4242 4242`,
    `4111 1111 1111 1111` ...) and numbers with six equal digits in a row are not reported. The message
    shows the first and last four digits, as receipts do.

    ## Why it matters
    Card numbers are the most regulated personal data there is (PCI DSS): a dataset holding them is in
    scope for audits, and a model must never learn to produce them.

    ## Example
    ```jsonl
    {"instruction": "Extract the payment details.", "input": "Paid with card 4539 1488 0343 6467, exp 09/27.", "output": "Card ending 6467, expiring September 2027."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Extract the payment details.", "input": "Paid with card 4242 4242 4242 4242, exp 09/27.", "output": "Card ending 4242, expiring September 2027."}
    ```

    ## Options
    - `allow`: card numbers (digits only) never reported; the default lists published test numbers.
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC008")
    return report(items, options.allow) if items else ()


class IbanOptions(AllowOptions):
    allow: tuple[str, ...] = Field(EXAMPLE_IBANS, description="IBANs (without spaces) never reported.")


@record_rule(code="SEC009", name="iban", severity=Severity.INFO,
             summary="An IBAN that passes the mod-97 check", options=IbanOptions)
def iban(example: Example, options: IbanOptions) -> Iterable[Violation]:
    r"""An IBAN that passes the mod-97 check

    ## What it does
    Finds international bank account numbers, with or without spaces, whose length is the country's and
    whose check digits pass ISO 13616's mod-97 check. The IBANs printed in the standard's and the banks'
    documentation (`DE89 3704 0044 0532 0130 00`, `GB82 WEST 1234 5698 7654 32` ...) are not reported.

    ## Why it matters
    An account number identifies a person and is enough for fraudulent direct debits in many countries.
    It has no place in training data.

    ## Example
    ```jsonl
    {"instruction": "Draft a payment reminder.", "input": "Please transfer the rent to DE44 5001 0517 5407 3249 31 by Friday.", "output": "Dear tenant, the rent is due on Friday."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Draft a payment reminder.", "input": "Please transfer the rent to DE89 3704 0044 0532 0130 00 by Friday.", "output": "Dear tenant, the rent is due on Friday."}
    ```

    ## Options
    - `allow`: IBANs (without spaces) never reported; the default lists documentation examples.
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC009")
    return report(items, options.allow) if items else ()


class AddressOptions(AllowOptions):
    allow: tuple[str, ...] = Field(PUBLIC_SERVICES, description="Addresses never reported.")


@record_rule(code="SEC010", name="ip-address", severity=Severity.INFO,
             summary="A public IP address", options=AddressOptions)
def ip_address(example: Example, options: AddressOptions) -> Iterable[Violation]:
    r"""A public IP address

    ## What it does
    Finds IPv4 addresses and compressed IPv6 addresses (`2606:4700::6810:85e5`) that are globally
    routable. Private, loopback, link-local, shared, multicast and reserved ranges are not reported, nor
    are the documentation ranges (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`),
    the public DNS resolvers (`8.8.8.8`, `1.1.1.1` ...), and dotted numbers after `version`, `v`,
    `section`, `==` and the like. The message hides the last part of the address.

    ## Why it matters
    An IP address is personal data in the GDPR's sense, and a server's address in answers points attackers
    at it. Logs pasted into instructions are the usual source.

    ## Example
    ```jsonl
    {"instruction": "What does this log line mean?", "input": "Failed password for root from 185.220.101.47 port 52144 ssh2", "output": "Someone tried to log in as root over SSH with a wrong password."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "What does this log line mean?", "input": "Failed password for root from 203.0.113.47 port 52144 ssh2", "output": "Someone tried to log in as root over SSH with a wrong password."}
    ```

    ## Options
    - `allow`: addresses never reported; the default lists public DNS resolvers and the placeholders
      `1.2.3.4`, `4.3.2.1`, `123.45.67.89`, `12.34.56.78`, `11.22.33.44`.
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC010")
    return report(items, options.allow) if items else ()
