package moto

import (
	"context"
	"encoding/json"
	"fmt"
)

// RestoreModel is moto's state model of an S3 object's restore: by
// default a RestoreObject completes at once (x-amz-restore:
// ongoing-request="false" on the next HeadObject).
const RestoreModel = "s3::keyrestore"

// SetManualTransition makes model advance one state every times reads of
// the resource (POST /moto-api/state-manager/set-transition, progression
// "manual"). For RestoreModel with times 1, the first HeadObject after a
// RestoreObject answers ongoing-request="true" and the next one
// ongoing-request="false": a restore in progress, then complete. The
// setting is the server's, outlives Reset, and is undone by
// UnsetTransition.
func (s *Server) SetManualTransition(ctx context.Context, model string, times int) error {
	body, err := json.Marshal(map[string]any{"model_name": model, "transition": map[string]any{"progression": "manual", "times": times}})
	if err != nil {
		return fmt.Errorf("moto: transition of %s: %w", model, err)
	}
	return s.post(ctx, "/moto-api/state-manager/set-transition", string(body))
}

// UnsetTransition restores moto's default transition of model.
func (s *Server) UnsetTransition(ctx context.Context, model string) error {
	body, err := json.Marshal(map[string]string{"model_name": model})
	if err != nil {
		return fmt.Errorf("moto: transition of %s: %w", model, err)
	}
	return s.post(ctx, "/moto-api/state-manager/unset-transition", string(body))
}
