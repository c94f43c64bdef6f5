package ui

import (
	"errors"

	"github.com/relais/relais/hooks/money"
)

// amountField reads an amount a user typed in a form (money.Parse: the
// app's own display format and every usual way of writing euros). It
// returns the amount, or the message to show next to the field.
func amountField(l *locale, raw string) (float64, string) {
	v, err := money.Parse(raw)
	switch {
	case err == nil:
		return v, ""
	case errors.Is(err, money.ErrNegative):
		return 0, l.T("amount.negative")
	case errors.Is(err, money.ErrTooLarge):
		return 0, l.T("amount.too_large", "Max", l.Money(money.Max))
	}
	return 0, l.T("amount.invalid", "Example", l.Money(12480.5))
}
