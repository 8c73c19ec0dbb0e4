-- copies of production databases must not talk to the carriers with real credentials
UPDATE omni_carrier_account
   SET prod_environment = false,
       password = NULL,
       client_secret = NULL,
       tracking_app_password = NULL,
       webhook_secret = NULL;
