package demo

import "fmt"

// seedCertificates gives the installers their certificates (without the
// PDF): an RGE QualiPV for most, a Qualifelec for every third; one in
// twelve has let its QualiPV lapse a fortnight ago, one in twelve sees it
// end in three weeks. It draws nothing from the random generator (the
// ids are derived from the partner's rank), so the rest of the dataset
// does not change.
func (s *seeder) seedCertificates() error {
	for i, p := range s.partners {
		until := s.opts.Now.AddDate(0, 0, 200+(i*37)%500)
		switch i % 12 {
		case 5:
			until = s.opts.Now.AddDate(0, 0, -15)
		case 7:
			until = s.opts.Now.AddDate(0, 0, 20)
		}
		if i%12 != 11 {
			if _, err := s.save("partner_certificates", fmt.Sprintf("certpv%09d", i), map[string]any{
				"partner": p.Id, "kind": "rge_qualipv", "number": fmt.Sprintf("QPV/%d/%04d", s.opts.Now.Year()-2, 1000+i), "valid_until": dt(until),
			}); err != nil {
				return err
			}
		}
		if i%3 == 0 {
			if _, err := s.save("partner_certificates", fmt.Sprintf("certqe%09d", i), map[string]any{
				"partner": p.Id, "kind": "qualifelec", "number": fmt.Sprintf("QE-%05d", 20000+i), "valid_until": dt(s.opts.Now.AddDate(1, 3, 0)),
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
