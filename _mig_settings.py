SECRET_KEY='x'
INSTALLED_APPS=['django.contrib.auth','django.contrib.contenttypes','gql_djwto']
DATABASES={'default':{'ENGINE':'django.db.backends.sqlite3','NAME':':memory:'}}
DJWTO_SIGNING_KEY='k'*32
