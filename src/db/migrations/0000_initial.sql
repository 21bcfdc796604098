CREATE TABLE "competitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"country" text,
	"kind" text DEFAULT 'league' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"points_win" integer DEFAULT 3 NOT NULL,
	"points_draw" integer DEFAULT 1 NOT NULL,
	"points_loss" integer DEFAULT 0 NOT NULL,
	"tie_breaks" jsonb DEFAULT '["points","goal_difference","goals_for"]'::jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "external_ids" (
	"id" serial PRIMARY KEY NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" integer NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "name_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"source" text NOT NULL,
	"raw_name" text NOT NULL,
	"created_team_id" integer,
	"candidate_team_id" integer,
	"similarity_pct" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "player_team_spells" (
	"id" serial PRIMARY KEY NOT NULL,
	"player_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"season_id" integer,
	"from_date" date,
	"to_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "player_team_spells_uq" UNIQUE NULLS NOT DISTINCT("player_id","team_id","season_id")
);
--> statement-breakpoint
CREATE TABLE "players" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"name" text NOT NULL,
	"search_name" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"position" text,
	"date_of_birth" date,
	"nationality" text,
	"current_team_id" integer,
	"shirt_number" integer,
	"injury_status" text DEFAULT 'available' NOT NULL,
	"injury_note" text,
	"injury_source" text,
	"injury_updated_at" timestamp with time zone,
	"owner_user_id" integer,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seasons" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"name" text NOT NULL,
	"start_date" date,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sports" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"scoring" text NOT NULL,
	"draws_possible" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sports_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "team_aliases" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"alias" text NOT NULL,
	"alias_key" text NOT NULL,
	"source" text DEFAULT '*' NOT NULL,
	"origin" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"short_name" text,
	"abbreviation" text,
	"city" text,
	"country" text,
	"venue_id" integer,
	"logo_url" text,
	"owner_user_id" integer,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text,
	"country" text,
	"capacity" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookmakers" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'bookmaker' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookmakers_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "lineups" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"player_id" integer NOT NULL,
	"role" text NOT NULL,
	"position" text,
	"shirt_number" integer
);
--> statement-breakpoint
CREATE TABLE "match_sources" (
	"match_id" integer NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" serial PRIMARY KEY NOT NULL,
	"sport_id" integer NOT NULL,
	"competition_id" integer NOT NULL,
	"season_id" integer NOT NULL,
	"home_team_id" integer NOT NULL,
	"away_team_id" integer NOT NULL,
	"venue_id" integer,
	"match_date" date NOT NULL,
	"kickoff_at" timestamp with time zone,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"neutral" boolean DEFAULT false NOT NULL,
	"home_score" integer,
	"away_score" integer,
	"home_score_ht" integer,
	"away_score_ht" integer,
	"period_scores" jsonb,
	"round" text,
	"is_playoff" boolean DEFAULT false NOT NULL,
	"referee" text,
	"attendance" integer,
	"owner_user_id" integer,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "odds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"bookmaker_id" integer NOT NULL,
	"market" text NOT NULL,
	"selection" text NOT NULL,
	"line" double precision,
	"price" double precision NOT NULL,
	"phase" text NOT NULL,
	"captured_at" timestamp with time zone,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "odds_uq" UNIQUE NULLS NOT DISTINCT("match_id","bookmaker_id","market","selection","line","phase","captured_at")
);
--> statement-breakpoint
CREATE TABLE "odds_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"bookmaker_id" integer NOT NULL,
	"market" text NOT NULL,
	"selection" text NOT NULL,
	"line" double precision,
	"price" double precision NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"provider_updated_at" timestamp with time zone,
	"source" text NOT NULL,
	CONSTRAINT "odds_history_uq" UNIQUE NULLS NOT DISTINCT("match_id","bookmaker_id","market","selection","line","seen_at")
);
--> statement-breakpoint
CREATE TABLE "player_match_stats" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"player_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"started" boolean,
	"minutes" integer,
	"goals" integer,
	"assists" integer,
	"shots" integer,
	"shots_on_target" integer,
	"yellow_cards" integer,
	"red_cards" integer,
	"own_goals" integer,
	"saves" integer,
	"points" integer,
	"rebounds" integer,
	"extra" jsonb
);
--> statement-breakpoint
CREATE TABLE "player_prop_odds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"player_id" integer NOT NULL,
	"bookmaker_id" integer NOT NULL,
	"prop" text NOT NULL,
	"selection" text NOT NULL,
	"line" double precision NOT NULL,
	"price" double precision NOT NULL,
	"phase" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_match_stats" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"side" text NOT NULL,
	"stats" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"file" text NOT NULL,
	"sha256" text NOT NULL,
	"status" text NOT NULL,
	"summary" jsonb NOT NULL,
	"rejected_rows" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_progress" (
	"id" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"state" text NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"stage" text,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"message" text,
	"payload" jsonb,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"family_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"parent_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"display_name" text,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_artifacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"kind" text NOT NULL,
	"sport_id" integer NOT NULL,
	"competition_id" integer NOT NULL,
	"window_from" date,
	"window_to" date,
	"data_cutoff" date NOT NULL,
	"match_count" integer NOT NULL,
	"team_count" integer NOT NULL,
	"parameters" jsonb NOT NULL,
	"diagnostics" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"trigger" text NOT NULL,
	"fit_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "predictions" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"kind" text NOT NULL,
	"model_version" text NOT NULL,
	"artifact_id" integer,
	"is_primary" boolean DEFAULT false NOT NULL,
	"prob_home" double precision NOT NULL,
	"prob_draw" double precision NOT NULL,
	"prob_away" double precision NOT NULL,
	"point_spread" double precision NOT NULL,
	"total_points" double precision NOT NULL,
	"confidence" double precision NOT NULL,
	"markets" jsonb NOT NULL,
	"kickoff" timestamp with time zone NOT NULL,
	"match_date" date NOT NULL,
	"as_of" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"outcome" jsonb,
	"metrics" jsonb,
	"correct" boolean
);
--> statement-breakpoint
CREATE TABLE "live_collaborators" (
	"match_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_collaborators_match_id_user_id_pk" PRIMARY KEY("match_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "live_events" (
	"id" text PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"side" text,
	"player_id" integer,
	"player_in_id" integer,
	"minute" integer,
	"period" text,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_matches" (
	"match_id" integer PRIMARY KEY NOT NULL,
	"phase" text DEFAULT 'scheduled' NOT NULL,
	"clock_started_at" timestamp with time zone,
	"clock_elapsed_ms" bigint DEFAULT 0 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_messages" (
	"match_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_messages_match_id_seq_pk" PRIMARY KEY("match_id","seq")
);
--> statement-breakpoint
CREATE TABLE "live_share_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"label" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_sync_conflicts" (
	"id" serial PRIMARY KEY NOT NULL,
	"match_id" integer NOT NULL,
	"event_id" text NOT NULL,
	"user_id" integer NOT NULL,
	"op" text NOT NULL,
	"base_version" integer NOT NULL,
	"server_version" integer NOT NULL,
	"server_data" jsonb NOT NULL,
	"client_data" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_groups" (
	"run_id" text NOT NULL,
	"match_key" text NOT NULL,
	"sport" text NOT NULL,
	"bet_ids" jsonb NOT NULL,
	"scenarios" jsonb NOT NULL,
	CONSTRAINT "analysis_groups_run_id_match_key_pk" PRIMARY KEY("run_id","match_key")
);
--> statement-breakpoint
CREATE TABLE "analysis_opportunities" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"bet_id" text NOT NULL,
	"match_id" integer NOT NULL,
	"sport" text NOT NULL,
	"rank" integer NOT NULL,
	"ml_confidence" double precision NOT NULL,
	"expected_value" double precision NOT NULL,
	"allowed" boolean NOT NULL,
	"violations" jsonb NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"requested_by" integer NOT NULL,
	"rules_user_id" text,
	"status" text NOT NULL,
	"request" jsonb NOT NULL,
	"message" text,
	"error" text,
	"total_bets" integer DEFAULT 0 NOT NULL,
	"analysed_bets" integer DEFAULT 0 NOT NULL,
	"current_sport" text,
	"current_bookmaker" text,
	"ruleset_version" text,
	"rules_last_updated" timestamp with time zone,
	"summary" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_rulesets" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"ruleset" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rules_audit_log" (
	"seq" integer PRIMARY KEY NOT NULL,
	"timestamp" timestamp (3) with time zone NOT NULL,
	"user_id" text NOT NULL,
	"action" text NOT NULL,
	"rule_id" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"request_ip" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "rules_audit_log_prev_hash_unique" UNIQUE("prev_hash"),
	CONSTRAINT "rules_audit_log_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "data_sources" (
	"source" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"error_streak" integer DEFAULT 0 NOT NULL,
	"quota_remaining" integer,
	"last_outcome" jsonb,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_lsa_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"documents" integer NOT NULL,
	"dims" integer NOT NULL,
	"terms" jsonb NOT NULL,
	"idf" "bytea" NOT NULL,
	"projection" "bytea" NOT NULL,
	"fit_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_mentions" (
	"id" serial PRIMARY KEY NOT NULL,
	"document_id" integer NOT NULL,
	"entity_type" text NOT NULL,
	"team_id" integer,
	"player_id" integer,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"surface" text NOT NULL,
	"confidence" real NOT NULL,
	"sentiment" real NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"locator" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"last_fetched_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_items" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_vectors" (
	"document_id" integer NOT NULL,
	"model_id" integer NOT NULL,
	"vector" "bytea" NOT NULL,
	CONSTRAINT "document_vectors_model_id_document_id_pk" PRIMARY KEY("model_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" integer NOT NULL,
	"url" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"is_current" boolean DEFAULT true NOT NULL,
	"content_hash" text NOT NULL,
	"title" text NOT NULL,
	"author" text,
	"published_at" timestamp with time zone NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"body" text NOT NULL,
	"sentiment" real DEFAULT 0 NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')) STORED NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "name_reviews" ADD CONSTRAINT "name_reviews_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "name_reviews" ADD CONSTRAINT "name_reviews_created_team_id_teams_id_fk" FOREIGN KEY ("created_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "name_reviews" ADD CONSTRAINT "name_reviews_candidate_team_id_teams_id_fk" FOREIGN KEY ("candidate_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_team_spells" ADD CONSTRAINT "player_team_spells_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_team_spells" ADD CONSTRAINT "player_team_spells_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_team_spells" ADD CONSTRAINT "player_team_spells_season_id_seasons_id_fk" FOREIGN KEY ("season_id") REFERENCES "public"."seasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_current_team_id_teams_id_fk" FOREIGN KEY ("current_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seasons" ADD CONSTRAINT "seasons_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_aliases" ADD CONSTRAINT "team_aliases_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_aliases" ADD CONSTRAINT "team_aliases_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineups" ADD CONSTRAINT "lineups_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineups" ADD CONSTRAINT "lineups_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineups" ADD CONSTRAINT "lineups_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_sources" ADD CONSTRAINT "match_sources_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_season_id_seasons_id_fk" FOREIGN KEY ("season_id") REFERENCES "public"."seasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_home_team_id_teams_id_fk" FOREIGN KEY ("home_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_away_team_id_teams_id_fk" FOREIGN KEY ("away_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odds" ADD CONSTRAINT "odds_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odds" ADD CONSTRAINT "odds_bookmaker_id_bookmakers_id_fk" FOREIGN KEY ("bookmaker_id") REFERENCES "public"."bookmakers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odds_history" ADD CONSTRAINT "odds_history_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odds_history" ADD CONSTRAINT "odds_history_bookmaker_id_bookmakers_id_fk" FOREIGN KEY ("bookmaker_id") REFERENCES "public"."bookmakers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_match_stats" ADD CONSTRAINT "player_match_stats_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_match_stats" ADD CONSTRAINT "player_match_stats_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_match_stats" ADD CONSTRAINT "player_match_stats_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_prop_odds" ADD CONSTRAINT "player_prop_odds_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_prop_odds" ADD CONSTRAINT "player_prop_odds_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_prop_odds" ADD CONSTRAINT "player_prop_odds_bookmaker_id_bookmakers_id_fk" FOREIGN KEY ("bookmaker_id") REFERENCES "public"."bookmakers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_match_stats" ADD CONSTRAINT "team_match_stats_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_match_stats" ADD CONSTRAINT "team_match_stats_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_artifact_id_model_artifacts_id_fk" FOREIGN KEY ("artifact_id") REFERENCES "public"."model_artifacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_collaborators" ADD CONSTRAINT "live_collaborators_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_collaborators" ADD CONSTRAINT "live_collaborators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_player_in_id_players_id_fk" FOREIGN KEY ("player_in_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_matches" ADD CONSTRAINT "live_matches_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_messages" ADD CONSTRAINT "live_messages_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_share_links" ADD CONSTRAINT "live_share_links_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sync_conflicts" ADD CONSTRAINT "live_sync_conflicts_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_groups" ADD CONSTRAINT "analysis_groups_run_id_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_opportunities" ADD CONSTRAINT "analysis_opportunities_run_id_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_opportunities" ADD CONSTRAINT "analysis_opportunities_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD CONSTRAINT "analysis_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_mentions" ADD CONSTRAINT "document_mentions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_mentions" ADD CONSTRAINT "document_mentions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_mentions" ADD CONSTRAINT "document_mentions_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_vectors" ADD CONSTRAINT "document_vectors_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_vectors" ADD CONSTRAINT "document_vectors_model_id_document_lsa_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."document_lsa_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_source_id_document_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."document_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "competitions_sport_idx" ON "competitions" USING btree ("sport_id");--> statement-breakpoint
CREATE UNIQUE INDEX "external_ids_uq" ON "external_ids" USING btree ("entity_type","source","external_id");--> statement-breakpoint
CREATE INDEX "external_ids_entity_idx" ON "external_ids" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "name_reviews_uq" ON "name_reviews" USING btree ("sport_id","source","raw_name");--> statement-breakpoint
CREATE INDEX "player_team_spells_team_idx" ON "player_team_spells" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "players_search_idx" ON "players" USING btree ("search_name");--> statement-breakpoint
CREATE INDEX "players_team_idx" ON "players" USING btree ("current_team_id");--> statement-breakpoint
CREATE INDEX "players_owner_idx" ON "players" USING btree ("owner_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seasons_competition_name_uq" ON "seasons" USING btree ("competition_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "team_aliases_key_uq" ON "team_aliases" USING btree ("sport_id","alias_key","source");--> statement-breakpoint
CREATE INDEX "team_aliases_team_idx" ON "team_aliases" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_sport_name_key_uq" ON "teams" USING btree ("sport_id","name_key") WHERE "teams"."owner_user_id" is null;--> statement-breakpoint
CREATE INDEX "teams_owner_idx" ON "teams" USING btree ("owner_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "venues_name_uq" ON "venues" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "lineups_uq" ON "lineups" USING btree ("match_id","player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_sources_uq" ON "match_sources" USING btree ("match_id","source");--> statement-breakpoint
CREATE UNIQUE INDEX "matches_identity_uq" ON "matches" USING btree ("competition_id","match_date","home_team_id","away_team_id");--> statement-breakpoint
CREATE INDEX "matches_catalogue_date_idx" ON "matches" USING btree ("match_date","kickoff_at","id") WHERE "matches"."owner_user_id" is null;--> statement-breakpoint
CREATE INDEX "matches_season_idx" ON "matches" USING btree ("season_id");--> statement-breakpoint
CREATE INDEX "matches_home_idx" ON "matches" USING btree ("home_team_id","match_date");--> statement-breakpoint
CREATE INDEX "matches_away_idx" ON "matches" USING btree ("away_team_id","match_date");--> statement-breakpoint
CREATE INDEX "matches_status_idx" ON "matches" USING btree ("status","match_date");--> statement-breakpoint
CREATE INDEX "matches_sport_date_idx" ON "matches" USING btree ("sport_id","match_date");--> statement-breakpoint
CREATE INDEX "odds_market_idx" ON "odds" USING btree ("market","phase");--> statement-breakpoint
CREATE INDEX "odds_history_match_idx" ON "odds_history" USING btree ("match_id","seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "player_match_stats_uq" ON "player_match_stats" USING btree ("match_id","player_id");--> statement-breakpoint
CREATE INDEX "player_match_stats_player_idx" ON "player_match_stats" USING btree ("player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "player_prop_odds_uq" ON "player_prop_odds" USING btree ("match_id","player_id","bookmaker_id","prop","selection","line","phase");--> statement-breakpoint
CREATE INDEX "player_prop_odds_player_idx" ON "player_prop_odds" USING btree ("player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_match_stats_uq" ON "team_match_stats" USING btree ("match_id","team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "app_meta_key_uq" ON "app_meta" USING btree ("key");--> statement-breakpoint
CREATE INDEX "import_files_sha_idx" ON "import_files" USING btree ("sha256","format");--> statement-breakpoint
CREATE INDEX "job_progress_queue_idx" ON "job_progress" USING btree ("queue","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_uq" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_user_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_hash_uq" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_idx" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "model_artifacts_version_uq" ON "model_artifacts" USING btree ("version");--> statement-breakpoint
CREATE INDEX "model_artifacts_scope_idx" ON "model_artifacts" USING btree ("competition_id","kind","data_cutoff");--> statement-breakpoint
CREATE INDEX "model_artifacts_created_idx" ON "model_artifacts" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "predictions_match_kind_uq" ON "predictions" USING btree ("match_id","kind");--> statement-breakpoint
CREATE INDEX "predictions_kickoff_idx" ON "predictions" USING btree ("is_primary","kickoff");--> statement-breakpoint
CREATE INDEX "predictions_settled_idx" ON "predictions" USING btree ("settled_at");--> statement-breakpoint
CREATE INDEX "live_collaborators_user_idx" ON "live_collaborators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "live_events_match_seq_idx" ON "live_events" USING btree ("match_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "live_share_links_token_uq" ON "live_share_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "live_share_links_match_idx" ON "live_share_links" USING btree ("match_id");--> statement-breakpoint
CREATE INDEX "live_sync_conflicts_match_idx" ON "live_sync_conflicts" USING btree ("match_id","status");--> statement-breakpoint
CREATE INDEX "live_sync_conflicts_event_idx" ON "live_sync_conflicts" USING btree ("event_id") WHERE "live_sync_conflicts"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_opportunities_uq" ON "analysis_opportunities" USING btree ("run_id","bet_id");--> statement-breakpoint
CREATE INDEX "analysis_opportunities_rank_idx" ON "analysis_opportunities" USING btree ("run_id","rank");--> statement-breakpoint
CREATE INDEX "analysis_runs_user_idx" ON "analysis_runs" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE INDEX "rules_audit_log_time_idx" ON "rules_audit_log" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "rules_audit_log_rule_idx" ON "rules_audit_log" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "document_mentions_doc_idx" ON "document_mentions" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "document_mentions_team_idx" ON "document_mentions" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "document_mentions_player_idx" ON "document_mentions" USING btree ("player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "document_sources_locator_uq" ON "document_sources" USING btree ("locator");--> statement-breakpoint
CREATE INDEX "document_vectors_doc_idx" ON "document_vectors" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_url_hash_uq" ON "documents" USING btree ("url","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_url_version_uq" ON "documents" USING btree ("url","version");--> statement-breakpoint
CREATE INDEX "documents_published_idx" ON "documents" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "documents_source_idx" ON "documents" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "documents_tsv_idx" ON "documents" USING gin ("tsv");