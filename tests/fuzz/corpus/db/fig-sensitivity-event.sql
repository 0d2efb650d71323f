QINSERT INTO events VALUES(1,1,'listed','black',5,'error',NULL,'social','courts');
