package demo

// seedROI gives the campaigns the lead source they bring leads through and
// adds two year-long campaigns with budgets (paid search for the website,
// the telemarketing platform for the API), so that the ROI report by
// source and campaign has costs to compare. It draws nothing from the
// random generator, so the rest of the dataset does not change.
func (s *seeder) seedROI() error {
	sources := []string{"campaign", "campaign", "phone", "web", "campaign", "campaign"}
	for i, c := range s.campaigns {
		c.Set("source", sources[i%len(sources)])
		if err := s.app.Save(c); err != nil {
			return err
		}
	}
	year := []struct {
		name, channel, source string
		budget                int
	}{
		{"Annonces Google solaire", "web", "web", 12000},
		{"Plateforme de télémarketing", "phone", "api", 18000},
	}
	for _, c := range year {
		if _, err := s.save("campaigns", "", map[string]any{
			"name": c.name, "channel": c.channel, "source": c.source, "budget": c.budget,
			"starts": dt(s.opts.Now.AddDate(-1, 0, 0)), "ends": dt(s.opts.Now.AddDate(0, 1, 0)),
		}); err != nil {
			return err
		}
		s.sum.Campaigns++
	}
	return nil
}
